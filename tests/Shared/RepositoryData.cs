namespace Verity.Testing;

/// <summary>
/// The public datasets shipped in the repository's <c>data/</c> folder (see its README for sources and licences),
/// found from the running assembly upwards so tests and benchmarks work from any clone.
/// </summary>
public static class RepositoryData
{
    /// <summary>The repository's root folder, the one holding <c>Verity.slnx</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The repository's <c>data/</c> folder.</summary>
    public static string Folder => Path.Combine(Root, "data");

    /// <summary>One crowd set of <c>data/crowd</c>: a folder with <c>labels.csv</c> and <c>gold.csv</c>.</summary>
    public static string Crowd(string set) => Path.Combine(Folder, "crowd", set);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Verity.slnx")))
                return dir.FullName;
        }

        throw new DirectoryNotFoundException("Verity.slnx not found above " + AppContext.BaseDirectory);
    }
}
