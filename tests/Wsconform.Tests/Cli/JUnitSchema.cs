using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace Wsconform.Tests.Cli;

/// <summary>A JUnit file written by the CLI must load in CI viewers: it validates against the JUnit schema (Resources/junit.xsd).</summary>
internal static class JUnitSchema
{
    /// <summary>Asserts that <paramref name="path"/> is valid JUnit XML and returns its root (<c>testsuites</c>) for further checks.</summary>
    public static XElement AssertValid(string path)
    {
        File.Exists(path).Should().BeTrue($"the JUnit file {path} was written");
        var schemas = new XmlSchemaSet();
        schemas.Add(null, Path.Combine(AppContext.BaseDirectory, "Resources", "junit.xsd"));
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = schemas };
        settings.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity}: {e.Message}");
        using (var reader = XmlReader.Create(path, settings))
        {
            while (reader.Read()) { }
        }
        errors.Should().BeEmpty();
        return XDocument.Load(path).Root!;
    }
}
