namespace Verity.Core;

/// <summary>A failure the caller can act on; mapped to one HTTP status and one CLI message in one place.</summary>
public abstract class VerityException(string message) : Exception(message);

/// <summary>The thing asked for does not exist, or the caller may not know that it does.</summary>
public sealed class NotFoundException(string message) : VerityException(message);

/// <summary>The caller is known but may not do this.</summary>
public sealed class ForbiddenException(string message) : VerityException(message);

/// <summary>The request is valid but clashes with the current state (a spent lease, a second answer).</summary>
public sealed class ConflictException(string message) : VerityException(message);

/// <summary>Bad input, with one or more messages per field (or per line, for files).</summary>
public sealed class ValidationException(IReadOnlyDictionary<string, string[]> errors)
    : VerityException(Summarise(errors))
{
    /// <summary>Messages keyed by field path or by "line N".</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    /// <summary>One error on one field.</summary>
    public static ValidationException For(string field, string message) =>
        new(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });

    private static string Summarise(IReadOnlyDictionary<string, string[]> errors) =>
        string.Join("; ", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")));
}

/// <summary>Collects field errors, then throws them together so the caller sees every problem at once.</summary>
public sealed class ErrorList
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    /// <summary>True when nothing was added.</summary>
    public bool IsEmpty => _errors.Count == 0;

    /// <summary>Adds a message for a field.</summary>
    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
            _errors[field] = list = [];
        list.Add(message);
    }

    /// <summary>The collected errors, as the exception carries them.</summary>
    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>Throws a <see cref="ValidationException"/> when any error was added.</summary>
    public void ThrowIfAny()
    {
        if (!IsEmpty)
            throw new ValidationException(ToDictionary());
    }
}
