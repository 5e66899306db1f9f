using Verity.Core.Items;
using Verity.Core.Projects;

namespace Verity.Core.Work;

/// <summary>A submission checked against its item and rubric: the answer to store, the flags, and whether to escalate.</summary>
public sealed record ValidatedAnswer(object Answer, IReadOnlyList<FlagInput> Flags, bool Escalated);

/// <summary>Checks a submission for a task kind and reports every bad field at once.</summary>
public static class AnswerValidator
{
    /// <summary>Longest demonstration or rewrite stored.</summary>
    public const int MaxTextChars = 100_000;

    private const int MaxNoteChars = 2_000;

    /// <summary>Validates <paramref name="submission"/> or throws a <see cref="ValidationException"/> naming each field.</summary>
    /// <param name="responses">The item's responses (the original, for a rewrite).</param>
    public static ValidatedAnswer Validate(
        string kind, Rubric rubric, RationaleRule rationale, IReadOnlyList<Response> responses, Submission submission)
    {
        var errors = new ErrorList();
        Unused(kind, submission, errors);
        object answer = kind switch
        {
            TaskKind.Pairwise => Pairwise(rubric, responses, submission, errors),
            TaskKind.Ranking => Ranking(rubric, responses, submission, errors),
            TaskKind.Rating => Rating(rubric, submission, errors),
            TaskKind.Demonstration => Text(rubric, submission, null, errors),
            TaskKind.Rewrite => Text(rubric, submission, responses[0].Text, errors),
            TaskKind.Classification => Classification(rubric, submission, errors),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown task kind"),
        };
        var flags = Flags(rubric, submission.Flags ?? [], errors);
        rationale.Check(submission.Rationale, errors);
        errors.ThrowIfAny();
        var escalating = rubric.Flags.Where(f => f.Escalate).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        return new ValidatedAnswer(answer, flags, flags.Any(f => escalating.Contains(f.Name)));
    }

    private static void Unused(string kind, Submission s, ErrorList errors)
    {
        void Check(bool present, string field, params string[] kinds)
        {
            if (present && !kinds.Contains(kind, StringComparer.Ordinal))
                errors.Add(field, $"is not used by a {kind} task.");
        }

        Check(s.Choice is not null, "choice", TaskKind.Pairwise);
        Check(s.Strength is not null, "strength", TaskKind.Pairwise);
        Check(s.Dimensions is not null, "dimensions", TaskKind.Pairwise);
        Check(s.Ranks is not null, "ranks", TaskKind.Ranking);
        Check(s.Scores is not null, "scores", TaskKind.Rating);
        Check(s.Text is not null, "text", TaskKind.Demonstration, TaskKind.Rewrite);
        Check(s.Labels is not null, "labels", TaskKind.Classification);
        Check(s.Other is not null, "other", TaskKind.Classification);
    }

    private static PairwiseAnswer Pairwise(Rubric rubric, IReadOnlyList<Response> responses, Submission s, ErrorList errors)
    {
        var ids = responses.Select(r => r.Id).ToList();
        string Options() => $"{string.Join(", ", ids)} or {PairwiseAnswer.Tie}";
        bool IsChoice(string? c) => c == PairwiseAnswer.Tie || (c is not null && ids.Contains(c, StringComparer.Ordinal));

        if (string.IsNullOrEmpty(s.Choice))
            errors.Add("choice", $"is required: one of {Options()}.");
        else if (!IsChoice(s.Choice))
            errors.Add("choice", $"\"{s.Choice}\" is not a response of this item; use one of {Options()}.");
        if (s.Choice != PairwiseAnswer.Tie && s.Strength is not (>= 1 and <= PairwiseAnswer.MaxStrength))
            errors.Add("strength", $"is required and must be between 1 and {PairwiseAnswer.MaxStrength}.");

        Dictionary<string, string>? dimensions = null;
        if (rubric.Dimensions.Count > 0)
        {
            dimensions = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var dimension in rubric.Dimensions)
            {
                if (s.Dimensions?.TryGetValue(dimension.Name, out var choice) != true)
                    errors.Add($"dimensions.{dimension.Name}", $"is required: one of {Options()}.");
                else if (!IsChoice(choice))
                    errors.Add($"dimensions.{dimension.Name}", $"\"{choice}\" is not one of {Options()}.");
                else
                    dimensions[dimension.Name] = choice!;
            }
        }

        foreach (var name in (s.Dimensions?.Keys ?? []).Where(n => !rubric.Dimensions.Any(d => d.Name == n)))
            errors.Add($"dimensions.{name}", "is not a dimension of this project.");
        return new PairwiseAnswer(s.Choice ?? "", s.Choice == PairwiseAnswer.Tie ? null : s.Strength, dimensions);
    }

    private static RankingAnswer Ranking(Rubric rubric, IReadOnlyList<Response> responses, Submission s, ErrorList errors)
    {
        var ranks = s.Ranks ?? new Dictionary<string, int>(StringComparer.Ordinal);
        if (s.Ranks is null)
            errors.Add("ranks", "is required: a rank for every response, 1 for the best.");
        foreach (var response in responses.Where(r => !ranks.ContainsKey(r.Id)))
        {
            if (s.Ranks is not null)
                errors.Add($"ranks.{response.Id}", "is missing: every response needs a rank.");
        }

        foreach (var (id, rank) in ranks)
        {
            if (!responses.Any(r => r.Id == id))
                errors.Add($"ranks.{id}", "is not a response of this item.");
            else if (rank < 1 || rank > responses.Count)
                errors.Add($"ranks.{id}", $"must be between 1 and {responses.Count}.");
        }

        if (!rubric.AllowTies)
        {
            foreach (var tie in ranks.GroupBy(r => r.Value).Where(g => g.Count() > 1))
                errors.Add("ranks", $"{string.Join(" and ", tie.Select(t => t.Key))} share rank {tie.Key}; this project does not allow ties.");
        }

        return new RankingAnswer(ranks.ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal));
    }

    private static RatingAnswer Rating(Rubric rubric, Submission s, ErrorList errors)
    {
        var scores = new Dictionary<string, int?>(StringComparer.Ordinal);
        if (s.Scores is null)
        {
            errors.Add("scores", "is required: a score for every dimension.");
            return new RatingAnswer(scores);
        }

        foreach (var dimension in rubric.Dimensions)
        {
            if (!s.Scores.TryGetValue(dimension.Name, out var score))
                errors.Add($"scores.{dimension.Name}", $"is missing: score {dimension.Title} from {dimension.Min} to {dimension.Max}{(dimension.AllowNa ? " or N/A (null)" : "")}.");
            else if (score is null && !dimension.AllowNa)
                errors.Add($"scores.{dimension.Name}", $"{dimension.Title} cannot be N/A in this project.");
            else if (score < dimension.Min || score > dimension.Max)
                errors.Add($"scores.{dimension.Name}", $"{score} is out of range: {dimension.Title} is scored {dimension.Min} to {dimension.Max}.");
            else
                scores[dimension.Name] = score;
        }

        foreach (var name in s.Scores.Keys.Where(n => !rubric.Dimensions.Any(d => d.Name == n)))
            errors.Add($"scores.{name}", "is not a dimension of this project.");
        return new RatingAnswer(scores);
    }

    private static TextAnswer Text(Rubric rubric, Submission s, string? original, ErrorList errors)
    {
        var text = s.Text?.Trim() ?? "";
        if (text.Length < rubric.MinChars)
            errors.Add("text", $"must be at least {rubric.MinChars} characters (has {text.Length}).");
        else if (text.Length > MaxTextChars)
            errors.Add("text", $"must be at most {MaxTextChars:N0} characters.");
        if (original is null)
            return new TextAnswer(text);
        var diff = TextDiff.Words(original, text);
        return new TextAnswer(text, diff, diff.Any(d => d.Op != "equal"));
    }

    private static ClassificationAnswer Classification(Rubric rubric, Submission s, ErrorList errors)
    {
        var labels = (s.Labels ?? []).Distinct(StringComparer.Ordinal).ToList();
        var other = string.IsNullOrWhiteSpace(s.Other) ? null : s.Other.Trim();
        foreach (var label in labels.Where(l => !rubric.Labels.Contains(l, StringComparer.Ordinal)))
            errors.Add("labels", $"\"{label}\" is not in this project's label set ({string.Join(", ", rubric.Labels)}).");
        if (other is not null && !rubric.AllowOther)
            errors.Add("other", "this project does not accept a free-text label.");
        else if (other is { Length: > 200 })
            errors.Add("other", "must be at most 200 characters.");
        if (labels.Count == 0 && other is null)
            errors.Add("labels", $"choose {(rubric.MultiLabel ? "at least one label" : "a label")}{(rubric.AllowOther ? " or write one under other" : "")}.");
        if (!rubric.MultiLabel && labels.Count + (other is null ? 0 : 1) > 1)
            errors.Add("labels", "choose only one label: this project is single-label.");
        return new ClassificationAnswer(labels, other);
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
