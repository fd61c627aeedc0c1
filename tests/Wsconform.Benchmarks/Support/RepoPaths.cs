namespace Wsconform.Benchmarks.Support;

/// <summary>Finds the repository root: the first directory, walking up, that holds Conformance.sln.</summary>
internal static class RepoPaths
{
    public const string SolutionFile = "Conformance.sln";

    /// <summary>The repository root, searched from the working directory and then from this program's own location.</summary>
    public static string FindRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
                    return dir.FullName;
            }
        }
        throw new InvalidOperationException(
            $"Cannot find {SolutionFile} above '{Environment.CurrentDirectory}' or '{AppContext.BaseDirectory}'; run from inside the repository.");
    }
}
