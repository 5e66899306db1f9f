using Verity.Core.Items;
using Verity.Core.Labels;
using Verity.Core.Quality;
using Verity.Core.Work;

namespace Verity.Core.Projects;

/// <summary>Choose one or several labels from the project's set, or write one under "other" where allowed.</summary>
public sealed class ClassificationKind : TaskKind<ClassificationAnswer>
{
    /// <summary>
    /// The class of a free-text answer. The text is part of it, for live labels, agreement and the gold confusion
    /// alike: two annotators who wrote different texts did not agree, and the text is what tells the requester which
    /// label their set is missing.
    /// </summary>
    public static string OtherClass(string text) => $"other:{text}";

    /// <inheritdoc/>
    public override string Name => Classification;

    /// <inheritdoc/>
    public override (int Min, int Max) ResponseCount => (0, 1);

    /// <inheritdoc/>
    public override IReadOnlyList<string> SubmissionFields => ["labels", "other"];

    /// <inheritdoc/>
    public override string Partial => "Classification";

    /// <inheritdoc/>
    public override IReadOnlyList<string> AggregationMethods =>
        Projects.AggregationMethods.ForSingleLabels;

    /// <inheritdoc/>
    public override IReadOnlyList<string> ExportFormats => ["classification", AnnotationsFormat];

    /// <inheritdoc/>
    public override bool SingleLabel(Rubric rubric) => !rubric.MultiLabel;

    /// <summary>Single-label: the label, nominal. Multi-label answers have no single value.</summary>
    public override IReadOnlyList<AgreementMeasure> AgreementMeasures(Rubric rubric) => SingleLabel(rubric) ? [new("label", AnswerLabel, MeasurementLevel.Nominal)] : [];

    /// <inheritdoc/>
    public override int ClassCount(Rubric rubric) => rubric.Labels.Count + (rubric.AllowOther ? 1 : 0);

    /// <inheritdoc/>
    public override void ValidateRubric(Rubric rubric, ErrorList errors)
    {
        if (rubric.Dimensions.Count > 0)
            errors.Add("rubric.dimensions", $"a {Name} project has no dimensions.");
        if (rubric.Labels.Count < 2)
            errors.Add("rubric.labels", "a classification project needs at least 2 labels.");
    }

    /// <summary>The one label, or <see cref="OtherClass"/> of the free text.</summary>
    protected override string? Label(ClassificationAnswer answer) =>
        answer.Other is { } other ? answer.Labels.Count == 0 ? OtherClass(other) : null
        : answer.Labels.Count == 1 ? answer.Labels[0] : null;

    /// <inheritdoc/>
    protected override string Describe(ClassificationAnswer answer) => string.Join(", ", answer.Other is null ? answer.Labels : [.. answer.Labels, $"other: {answer.Other}"]);

    /// <summary>Jaccard index of the label sets.</summary>
    protected override double? Score(ClassificationAnswer answer, ClassificationAnswer reference) => GoldScore.Jaccard(answer.Labels, reference.Labels);

    /// <summary>Multi-label: the labels a weighted majority chose.</summary>
    protected override string Aggregate(Rubric rubric, IReadOnlyList<ClassificationAnswer> answers, IReadOnlyList<double> weights, IReadOnlyList<string> responseIds) =>
        System.Text.Json.JsonSerializer.Serialize(ClassificationAggregation.Decide(answers, multiLabel: true, required: 0, weights).Labels);

    /// <inheritdoc/>
    protected override ClassificationAnswer Validate(Rubric rubric, IReadOnlyList<Response> responses, Submission s, ErrorList errors)
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
}
