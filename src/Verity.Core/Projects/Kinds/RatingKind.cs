using Verity.Core.Items;
using Verity.Core.Labels;
using Verity.Core.Quality;
using Verity.Core.Work;

namespace Verity.Core.Projects;

/// <summary>Score one response on each rubric dimension.</summary>
public sealed class RatingKind : TaskKind<RatingAnswer>
{
    /// <inheritdoc/>
    public override string Name => Rating;

    /// <inheritdoc/>
    public override (int Min, int Max) ResponseCount => (1, 1);

    /// <inheritdoc/>
    public override IReadOnlyList<string> SubmissionFields => ["scores"];

    /// <inheritdoc/>
    public override string Partial => "Rating";

    /// <inheritdoc/>
    public override IReadOnlyList<string> AggregationMethods => Projects.AggregationMethods.ForSummaries;

    /// <inheritdoc/>
    public override IReadOnlyList<string> ExportFormats => ["ratings", AnnotationsFormat];

    /// <summary>A rating project without dimensions gets <see cref="Rubric.DefaultRatingDimensions"/>.</summary>
    public override Rubric WithDefaults(Rubric rubric) => rubric.Dimensions.Count == 0 ? rubric with { Dimensions = Rubric.DefaultRatingDimensions } : rubric;

    /// <summary>Each dimension's score, interval.</summary>
    public override IReadOnlyList<AgreementMeasure> AgreementMeasures(Rubric rubric) =>
        [.. rubric.Dimensions.Select(d => new AgreementMeasure(d.Name, a =>
            ((RatingAnswer)a).Scores.TryGetValue(d.Name, out var v) && v is { } score ? score.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
            MeasurementLevel.Interval))];

    /// <inheritdoc/>
    public override void ValidateRubric(Rubric rubric, ErrorList errors)
    {
        if (rubric.Labels.Count > 0)
            errors.Add("rubric.labels", $"a {Name} project has no labels.");
    }

    /// <inheritdoc/>
    protected override string Describe(RatingAnswer answer) =>
        string.Join(", ", answer.Scores.Select(s => $"{s.Key} {(s.Value is { } v ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : "N/A")}"));

    /// <summary>Share of dimensions within one step of the reference.</summary>
    protected override double? Score(RatingAnswer answer, RatingAnswer reference) => GoldScore.Rating(answer, reference);

    /// <summary>The weighted mean of each dimension.</summary>
    protected override string Aggregate(Rubric rubric, IReadOnlyList<RatingAnswer> answers, IReadOnlyList<double> weights, IReadOnlyList<string> responseIds) =>
        System.Text.Json.JsonSerializer.Serialize(rubric.Dimensions
            .Select(d => (d.Name, Summary: RatingAggregation.Summarise([.. answers.Select(a => a.Scores.GetValueOrDefault(d.Name))], weights)))
            .Where(d => d.Summary is not null)
            .ToDictionary(d => d.Name, d => Math.Round(d.Summary!.Mean, 4), StringComparer.Ordinal));

    /// <inheritdoc/>
    protected override RatingAnswer Validate(Rubric rubric, IReadOnlyList<Response> responses, Submission s, ErrorList errors)
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
}
