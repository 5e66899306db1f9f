using Verity.Core;

namespace Verity.Quality;

/// <summary>Bad input in a file, reported to the user as <c>verity: FILE:LINE: message</c> (line 0: not on one line).</summary>
public sealed class InputException(string file, int line, string message)
    : VerityException(line > 0 ? $"{file}:{line}: {message}" : $"{file}: {message}")
{
    /// <summary>The one-line message shown on stderr.</summary>
    public string Report => $"verity: {Message}";
}
