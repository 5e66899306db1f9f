using Verity.Core.Items;

using Verity.Core.Work;

namespace Verity.Core.Projects;

/// <summary>A submission checked against its item and rubric: the answer to store, the flags, and whether to escalate.</summary>
public sealed record ValidatedAnswer(object Answer, IReadOnlyList<FlagInput> Flags, bool Escalated);

/// <summary>Checks a submission for a task kind and reports every bad field at once.</summary>
public static class AnswerValidator
{
    private const int MaxNoteChars = 2_000;

    /// <summary>Validates <paramref name="submission"/> or throws a <see cref="ValidationException"/> naming each field.</summary>
    /// <param name="responses">The item's responses (the original, for a rewrite).</param>
    public static ValidatedAnswer Validate(
        string kind, Rubric rubric, RationaleRule rationale, IReadOnlyList<Response> responses, Submission submission)
    {
        var errors = new ErrorList();
        var taskKind = TaskKind.Named(kind);
        foreach (var field in TaskKind.FieldsOf(submission).Where(f => !taskKind.SubmissionFields.Contains(f, StringComparer.Ordinal)))
            errors.Add(field, $"is not used by a {kind} task.");
        var answer = taskKind.ValidateAnswer(rubric, responses, submission, errors);
        var flags = Flags(rubric, submission.Flags ?? [], errors);
        rationale.Check(submission.Rationale, errors);
        errors.ThrowIfAny();
        var escalating = rubric.Flags.Where(f => f.Escalate).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        return new ValidatedAnswer(answer, flags, flags.Any(f => escalating.Contains(f.Name)));
    }

    private static List<FlagInput> Flags(Rubric rubric, IReadOnlyList<FlagInput> flags, ErrorList errors)
    {
        var kept = new List<FlagInput>();
        for (var i = 0; i < flags.Count; i++)
        {
            var flag = flags[i];
            if (!rubric.Flags.Any(f => f.Name == flag.Name))
                errors.Add($"flags[{i}].name", $"\"{flag.Name}\" is not a flag of this project ({string.Join(", ", rubric.Flags.Select(f => f.Name))}).");
            else if (flag.Note is { Length: > MaxNoteChars })
                errors.Add($"flags[{i}].note", $"must be at most {MaxNoteChars:N0} characters.");
            else if (!kept.Any(k => k.Name == flag.Name))
                kept.Add(new FlagInput(flag.Name, string.IsNullOrWhiteSpace(flag.Note) ? null : flag.Note.Trim()));
        }

        return kept;
    }
}
