using Verity.Core.Exports;
using Verity.Core.Items;
using Verity.Core.Labels;
using Verity.Core.Quality;
using Verity.Core.Work;

namespace Verity.Core.Projects;

/// <summary>Compare two responses and choose the better, or a tie; the class of an answer is the chosen response.</summary>
public sealed class PairwiseKind : TaskKind<PairwiseAnswer>
{
    /// <inheritdoc/>
    public override string Name => Pairwise;

    /// <inheritdoc/>
    public override (int Min, int Max) ResponseCount => (2, 2);

    /// <inheritdoc/>
    public override IReadOnlyList<string> SubmissionFields => ["choice", "strength", "dimensions"];

    /// <inheritdoc/>
    public override string Partial => "Pairwise";

    /// <inheritdoc/>
    public override IReadOnlyList<string> AggregationMethods =>
        Projects.AggregationMethods.ForSingleLabels;

    /// <inheritdoc/>
    public override IReadOnlyList<string> ExportFormats => ["preference", "preference-chat", AnnotationsFormat];

    /// <inheritdoc/>
    public override bool SingleLabel(Rubric rubric) => true;

    /// <summary>The chosen response, nominal.</summary>
    public override IReadOnlyList<AgreementMeasure> AgreementMeasures(Rubric rubric) => [new("choice", AnswerLabel, MeasurementLevel.Nominal)];

    /// <summary>The first response, the second, or a tie.</summary>
    public override int ClassCount(Rubric rubric) => 3;

    /// <summary>
    /// The position of the chosen response ("1" or "2") or "tie", rather than its id, so one annotator model fits
    /// items whose response ids differ.
    /// </summary>
    public override string ModelClass(object answer, IReadOnlyList<string> responseIds) =>
        AnswerLabel(answer) is var choice && choice == PairwiseAnswer.Tie
            ? choice
            : (responseIds.ToList().IndexOf(choice!) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public override string LabelOfClass(string modelClass, IReadOnlyList<string> responseIds) =>
        modelClass == PairwiseAnswer.Tie ? modelClass : responseIds[int.Parse(modelClass, System.Globalization.CultureInfo.InvariantCulture) - 1];

    /// <inheritdoc/>
    public override void ValidateRubric(Rubric rubric, ErrorList errors)
    {
        if (rubric.Labels.Count > 0)
            errors.Add("rubric.labels", $"a {Name} project has no labels.");
    }

    /// <inheritdoc/>
    protected override string Describe(PairwiseAnswer answer) => answer.Choice == PairwiseAnswer.Tie ? "a tie" : $"response {answer.Choice}";

    /// <summary>The live label against the other response, unless it is a tie or no more likely than not.</summary>
    public override PreferencePairs Preferences(
        IReadOnlyList<object> answers, IReadOnlyList<double> weights, IReadOnlyList<string> responseIds, string? label, double? confidence, bool bestWorstOnly)
    {
        var counted = answers.Where((_, i) => weights[i] > 0).Cast<PairwiseAnswer>().ToList();
        var outcome = PreferenceAggregation.Decide(counted, responseIds, label, confidence ?? 0);
        return outcome.Skipped is { } reason
            ? new PreferencePairs([], reason switch { SkipReason.Tie => "tie", SkipReason.SplitVote => "split-vote", _ => "no-label" })
            : new PreferencePairs([new PreferencePair(outcome.ChosenId!, outcome.RejectedId!, outcome.Margin, outcome.Agreement, outcome.Annotators)], null);
    }

    /// <summary>The chosen response id, or tie.</summary>
    protected override string Label(PairwiseAnswer answer) => answer.Choice;

    /// <summary>1 when the chosen response (or tie) is the same, else 0; per-dimension choices are not scored.</summary>
    protected override double? Score(PairwiseAnswer answer, PairwiseAnswer reference) => string.Equals(answer.Choice, reference.Choice, StringComparison.Ordinal) ? 1 : 0;

    /// <inheritdoc/>
    protected override PairwiseAnswer Validate(Rubric rubric, IReadOnlyList<Response> responses, Submission s, ErrorList errors)
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
}
