using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Verity.Core.Projects;
using Verity.Core.Quality;
using Verity.Core.Work;
using Verity.Data;
using Verity.Infrastructure;

namespace Verity.Quality;

/// <summary>Agreement measured on all labels up to the end of each point in time, one series per measured value.</summary>
/// <param name="PointsTitle">What the points are, the x axis's title: days, or counts of labels when all are from one day.</param>
public sealed record AgreementTrend(string Metric, IReadOnlyList<string> Points, IReadOnlyList<ChartSeries> Series, string? Note, string PointsTitle = "");

/// <summary>How often each expected gold answer (rows) was given as each answer (columns).</summary>
public sealed record ConfusionMatrix(IReadOnlyList<string> Classes, int[,] Counts)
{
    public int Count(int expected, int given) => Counts[expected, given];
}

/// <summary>Everything the project quality page shows, apart from the annotator table and the escalations.</summary>
public sealed record QualitySummary(AgreementTrend Agreement, IReadOnlyList<string> ConfidenceBins, IReadOnlyList<int> ConfidenceCounts, ConfusionMatrix? Confusion);

/// <summary>
/// The project-level quality numbers: agreement over time, item confidence and the confusion against gold. Only the
/// columns needed are loaded (answer, item, time, gold flags), because a project can hold hundreds of thousands of
/// annotations and the owner opens this page often.
/// </summary>
public sealed class QualityDashboard(VerityDbContext db)
{
    private const int MaxPoints = 20;
    private const int Bins = 10;

    private sealed record Label(Guid ItemId, string Annotator, object Answer, DateTime CreatedAt);

    public async Task<QualitySummary> ForProjectAsync(Project project, CancellationToken cancellationToken = default)
    {
        var rows = await db.LatestAnnotations.AsNoTracking()
            .Where(a => a.ProjectId == project.Id)
            .Join(db.Assignments, a => a.AssignmentId, s => s.Id, (a, s) => new { a.Id, a.ItemId, a.AnnotatorId, a.AnswerJson, a.CreatedAt, s.IsRepeat, s.Rejected })
            .Join(db.Items, x => x.ItemId, i => i.Id, (x, i) => new { x.Id, x.ItemId, x.AnnotatorId, x.AnswerJson, x.CreatedAt, x.IsRepeat, x.Rejected, i.IsGold, i.GoldJson })
            .ToListAsync(cancellationToken);
        var kind = project.TaskKind();
        var rubric = project.Rubric();

        // Labels are what aggregation uses: no gold, no repeats, nothing a reviewer rejected.
        var labels = rows.Where(r => !r.IsGold && !r.IsRepeat && !r.Rejected)
            .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)
            .Select(r => new Label(r.ItemId, r.AnnotatorId.ToString("N"), kind.ParseAnswer(r.AnswerJson), r.CreatedAt))
            .ToList();
        var goldRows = rows.Where(r => r.IsGold && !r.IsRepeat && r.GoldJson is not null)
            .Select(r => (Expected: kind.ParseAnswer(r.GoldJson!), Given: kind.ParseAnswer(r.AnswerJson)))
            .ToList();

        var (bins, counts) = ConfidenceHistogram(kind, rubric, labels);
        return new QualitySummary(Trend(kind, rubric, labels), bins, counts, Confusion(kind, rubric, goldRows));
    }

    /// <summary>The class of a single-label answer, or null when the project's answers are not single labels.</summary>
    private static string? Category(TaskKind kind, Rubric rubric, object answer) => kind.SingleLabel(rubric) ? kind.AnswerLabel(answer) : null;

    private static AgreementTrend Trend(TaskKind kind, Rubric rubric, List<Label> labels)
    {
        var measures = kind.AgreementMeasures(rubric);
        if (measures.Count == 0)
        {
            var why = rubric.MultiLabel
                ? "Multi-label classification has no single label per answer; agreement is not charted."
                : $"Agreement is not charted for {kind} tasks: there is no single value per answer to compare.";
            return new AgreementTrend("none", [], [], why);
        }

        var metric = measures[0].Level == MeasurementLevel.Interval ? "Krippendorff's α (interval), per rubric dimension" : "Krippendorff's α (nominal)";
        if (labels.Count == 0)
            return new AgreementTrend(metric, [], [], "No labels yet.");

        var cuts = Cuts(labels);
        var series = measures.Select(m =>
        {
            var values = new List<double?>();
            foreach (var (_, end) in cuts)
            {
                var triples = labels.Take(end)
                    .Select(l => (Item: l.ItemId.ToString("N"), Rater: l.Annotator, Value: m.Value(l.Answer)))
                    .Where(t => t.Value is not null)
                    .Select(t => (t.Item, t.Rater, t.Value!));
                var alpha = Agreement.KrippendorffAlpha(Ratings.FromTriples(triples), m.Level);
                values.Add(double.IsNaN(alpha) ? null : Math.Round(alpha, 4));
            }
            return new ChartSeries(m.Name, values);
        }).ToList();
        var byDay = labels[0].CreatedAt.Date != labels[^1].CreatedAt.Date;
        return new AgreementTrend(metric, cuts.Select(c => c.Label).ToList(), series, null, byDay ? "End of day (UTC)" : "Labels so far");
    }

    /// <summary>
    /// Where the cumulative agreement is measured: at the end of each day, or, when every label is from one day, after
    /// every N labels. At most <see cref="MaxPoints"/> points, so the cost stays a small multiple of one α.
    /// </summary>
    private static List<(string Label, int End)> Cuts(List<Label> labels)
    {
        var days = labels.Select((l, i) => (Day: l.CreatedAt.Date, End: i + 1))
            .GroupBy(x => x.Day).Select(g => (Label: g.Key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), End: g.Max(x => x.End)))
            .ToList();
        if (days.Count > 1)
            return days.Count <= MaxPoints ? days : Thin(days);
        var step = Math.Max(1, (int)Math.Ceiling(labels.Count / (double)MaxPoints));
        var cuts = new List<(string, int)>();
        for (var end = step; end < labels.Count + step; end += step)
        {
            var at = Math.Min(end, labels.Count);
            cuts.Add((at.ToString(CultureInfo.InvariantCulture), at));
        }
        return cuts;
    }

    private static List<(string Label, int End)> Thin(List<(string Label, int End)> cuts)
    {
        var step = (int)Math.Ceiling(cuts.Count / (double)MaxPoints);
        return cuts.Where((_, i) => (cuts.Count - 1 - i) % step == 0).ToList();
    }

    private static (IReadOnlyList<string> Bins, IReadOnlyList<int> Counts) ConfidenceHistogram(TaskKind kind, Rubric rubric, List<Label> labels)
    {
        var counts = new int[Bins];
        foreach (var item in labels.GroupBy(l => l.ItemId))
        {
            var votes = item.Select(l => Category(kind, rubric, l.Answer)).OfType<string>().ToList();
            if (votes.Count == 0)
                continue;
            counts[Math.Min(Bins - 1, (int)(Confidence(votes) * Bins))]++;
        }
        var bins = Enumerable.Range(0, Bins).Select(b => $"{b * 100 / Bins}–{(b + 1) * 100 / Bins}%").ToList();
        return (bins, counts);
    }

    /// <summary>
    /// An item's confidence: the winning answer's share of the votes. Kept in this one place so it can be replaced by
    /// the aggregated posterior once confidences are computed live.
    /// </summary>
    private static double Confidence(List<string> votes) =>
        votes.GroupBy(v => v, StringComparer.Ordinal).Max(g => g.Count()) / (double)votes.Count;

    private static ConfusionMatrix? Confusion(TaskKind kind, Rubric rubric, List<(object Expected, object Given)> gold)
    {
        if (!kind.SingleLabel(rubric))
            return null;
        var pairs = gold.Select(g => (Expected: Category(kind, rubric, g.Expected), Given: Category(kind, rubric, g.Given)))
            .Where(p => p.Expected is not null && p.Given is not null)
            .Select(p => (Expected: p.Expected!, Given: p.Given!))
            .ToList();
        var classes = rubric.Labels.Concat(pairs.SelectMany(p => new[] { p.Expected, p.Given }))
            .Distinct(StringComparer.Ordinal)
            .OrderBy(c => c == PairwiseAnswer.Tie || c.StartsWith(ClassificationKind.OtherClass(""), StringComparison.Ordinal) ? 1 : 0).ThenBy(c => c, StringComparer.Ordinal)
            .ToList();
        var index = classes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        var counts = new int[classes.Count, classes.Count];
        foreach (var (expected, given) in pairs)
            counts[index[expected], index[given]]++;
        return new ConfusionMatrix(classes, counts);
    }
}
