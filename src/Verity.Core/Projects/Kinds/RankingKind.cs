using Verity.Core.Items;
using Verity.Core.Labels;
using Verity.Core.Quality;
using Verity.Core.Work;

namespace Verity.Core.Projects;

/// <summary>Order 3–9 responses from best to worst, ties where the rubric allows.</summary>
public sealed class RankingKind : TaskKind<RankingAnswer>
{
    /// <inheritdoc/>
    public override string Name => Ranking;

    /// <inheritdoc/>
    public override (int Min, int Max) ResponseCount => (3, 9);

    /// <inheritdoc/>
    public override IReadOnlyList<string> SubmissionFields => ["ranks"];

    /// <inheritdoc/>
    public override string Partial => "Ranking";

    /// <inheritdoc/>
    public override IReadOnlyList<string> AggregationMethods => Projects.AggregationMethods.ForSummaries;

    /// <inheritdoc/>
    public override IReadOnlyList<string> ExportFormats => ["preference", "preference-chat", AnnotationsFormat];

    /// <inheritdoc/>
    protected override string Describe(RankingAnswer answer) => string.Join(" > ", answer.Ranks.OrderBy(x => x.Value).Select(x => x.Key));

    /// <summary>Every pair a weighted majority agrees on, or only the best against the worst.</summary>
    public override PreferencePairs Preferences(
        IReadOnlyList<object> answers, IReadOnlyList<double> weights, IReadOnlyList<string> responseIds, string? label, double? confidence, bool bestWorstOnly)
    {
        var rankings = answers.Cast<RankingAnswer>().ToList();
        IReadOnlyList<PreferencePair> found = bestWorstOnly
            ? RankingAggregation.BestWorst(rankings, responseIds, weights) is { } one ? [one] : []
            : RankingAggregation.ImpliedPairs(rankings, responseIds, weights);
        return new PreferencePairs(found, found.Count == 0 ? "split-vote" : null);
    }

    /// <summary>Kendall's τ-b, mapped to [0,1].</summary>
    protected override double? Score(RankingAnswer answer, RankingAnswer reference) => GoldScore.Ranking(answer, reference);

    /// <summary>The response ids from best to worst by weighted mean rank.</summary>
    protected override string Aggregate(Rubric rubric, IReadOnlyList<RankingAnswer> answers, IReadOnlyList<double> weights, IReadOnlyList<string> responseIds) =>
        System.Text.Json.JsonSerializer.Serialize(RankingAggregation.Order(answers, responseIds, weights).Select(r => r.Id));

    /// <inheritdoc/>
    protected override RankingAnswer Validate(Rubric rubric, IReadOnlyList<Response> responses, Submission s, ErrorList errors)
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
}
