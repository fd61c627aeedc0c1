using System.Reflection;

namespace Wsconform.Engine;

/// <summary>The harness's name and version, for the User-Agent header and reports.</summary>
public static class ToolInfo
{
    public const string Name = "wsconform";

    /// <summary>The informational version of the engine assembly, without any source-revision suffix.</summary>
    public static string Version { get; } =
        (typeof(ToolInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0")
        .Split('+')[0];
}
