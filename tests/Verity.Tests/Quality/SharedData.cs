namespace Verity.Tests.Quality;

/// <summary>Finds the shared data folder that CI places beside the repository (<c>../shared/data</c>).</summary>
internal static class SharedData
{
    public static string Crowd(string set) => Path.Combine(Folder(), "crowd", set);

    private static string Folder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data");
            if (dir.GetFiles("Verity.slnx").Length > 0 && Directory.Exists(Path.Combine(dir.FullName, "..", "shared", "data")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
            if (Directory.Exists(candidate))
                return candidate;
        }

        throw new DirectoryNotFoundException("no shared/data folder beside the repository or above it");
    }
}
