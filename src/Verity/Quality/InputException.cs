namespace Verity.Quality;

/// <summary>Bad input in a file, reported to the user as <c>verity: FILE:LINE: message</c>.</summary>
public sealed class InputException(string file, int line, string message) : Exception(message)
{
    /// <summary>The file at fault.</summary>
    public string File { get; } = file;

    /// <summary>1-based line, or 0 when the problem is not on one line.</summary>
    public int Line { get; } = line;

    /// <summary>The one-line message shown on stderr.</summary>
    public string Report => Line > 0 ? $"verity: {File}:{Line}: {Message}" : $"verity: {File}: {Message}";
}

/// <summary>Options that do not fit together, reported as <c>verity: message</c>.</summary>
public sealed class UsageException(string message) : Exception(message);
