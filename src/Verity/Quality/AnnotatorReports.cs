using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Core.Projects;
using Verity.Core.Quality;
using Verity.Core.Work;
using Verity.Data;
using Verity.Infrastructure;
using Verity.Projects;

namespace Verity.Quality;

/// <summary>A signal about an annotator, with the numbers behind it.</summary>
public sealed record AnnotatorFlag(string Name, string Evidence);

/// <summary>One annotator's standing in one project, as GET /projects/{id}/annotators reports it.</summary>
/// <param name="GoldAccuracy">Posterior mean gold accuracy (Beta(8,2) prior), with its 95% interval.</param>
/// <param name="Agreement">Mean agreement of their answers with the other annotators' answers to the same items.</param>
/// <param name="Consistency">Agreement with their own earlier answers on repeats.</param>
/// <param name="Repeats">How many repeats they answered.</param>
/// <param name="Reviewed">How many of their annotations a reviewer decided on.</param>
public sealed record AnnotatorReport(
    string Annotator,
    int Labels,
    int GoldSeen,
    int Repeats,
    int Reviewed,
    double? GoldAccuracy,
    double[]? GoldInterval,
    double? Agreement,
    double? Consistency,
    double? ReviewAcceptance,
    double Trust,
    string Status,
    IReadOnlyList<AnnotatorFlag> Flags,
    double MedianSeconds)
{
    /// <summary>The statistics quality rules test, by the names rules use; unknown measures are left out.</summary>
    public Dictionary<string, double> Stats()
    {
        var stats = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["goldSeen"] = GoldSeen,
            ["labels"] = Labels,
            ["repeats"] = Repeats,
            ["reviewed"] = Reviewed,
            ["trust"] = Trust,
        };
        foreach (var (name, value) in new[] { ("goldAccuracy", GoldAccuracy), ("agreement", Agreement), ("consistency", Consistency), ("reviewAcceptance", ReviewAcceptance) })
        {
            if (value is { } known)
                stats[name] = known;
        }

        return stats;
    }
}

/// <summary>An annotator's report with the id it belongs to.</summary>
public sealed record AnnotatorMeasures(Guid AnnotatorId, AnnotatorReport Report);

/// <summary>
/// Computes every annotator's gold accuracy, agreement, consistency, detectors, trust and rule status from the
/// stored annotations, using the pure building blocks of Verity.Core.Quality, and judges them by the project's rules.
/// It reads every annotation of the project, so it runs in the background (<see cref="QualityRefresh"/>) and its
/// results are stored, not computed per request.
/// </summary>
public sealed class AnnotatorReports(VerityDbContext db)
{
    private sealed record Row(Annotation Annotation, Item Item, string Pseudonym, bool Repeat, bool Rejected, string? Review);

    public async Task<IReadOnlyList<AnnotatorMeasures>> ForProjectAsync(Project project, CancellationToken cancellationToken = default)
    {
        // Items, names and reviews are loaded once each and joined in memory: joining them in SQL repeated every item's
        // prompt and responses on each of its annotations, and the review lookup ran once per row (LoadBench
        // --dashboard: 2.1 s of the quality page at 100,000 annotations before).
        var items = await db.Items.AsNoTracking().Where(i => i.ProjectId == project.Id).ToDictionaryAsync(i => i.Id, cancellationToken);
        var annotated = await db.Annotations.AsNoTracking()
            .Where(a => a.ProjectId == project.Id)
            .Join(db.Assignments, a => a.AssignmentId, s => s.Id, (a, s) => new { Annotation = a, s.IsRepeat, s.Rejected })
            .ToListAsync(cancellationToken);
        var annotatorIds = annotated.Select(x => x.Annotation.AnnotatorId).Distinct().ToList();
        var pseudonyms = await db.Users.AsNoTracking().Where(u => annotatorIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Pseudonym, cancellationToken);
        var reviews = (await db.Reviews.AsNoTracking().Where(r => r.ProjectId == project.Id).OrderBy(r => r.Id)
                .Select(r => new { r.AnnotationId, r.Decision }).ToListAsync(cancellationToken))
            .GroupBy(r => r.AnnotationId).ToDictionary(g => g.Key, g => g.First().Decision);
        var rows = annotated
            .Select(x => new Row(x.Annotation, items[x.Annotation.ItemId], pseudonyms[x.Annotation.AnnotatorId], x.IsRepeat, x.Rejected, reviews.GetValueOrDefault(x.Annotation.Id)))
            .OrderBy(r => r.Annotation.Id)
            .ToList();
        var restorations = await db.Restorations.AsNoTracking().Where(r => r.ProjectId == project.Id).Select(r => new { r.AnnotatorId, r.CreatedAt }).ToListAsync(cancellationToken);
        var restored = restorations.Select(r => r.AnnotatorId).ToHashSet();
        var quarantined = Quarantines.InForce(
            await db.Quarantines.AsNoTracking().Where(q => q.ProjectId == project.Id).ToListAsync(cancellationToken),
            restorations.Select(r => (r.AnnotatorId, r.CreatedAt)));
        var kind = project.TaskKind();
        var answers = rows.ToDictionary(r => r.Annotation.Id, r => kind.ParseAnswer(r.Annotation.AnswerJson));
        var labels = rows.Where(r => !r.Repeat && !r.Rejected && !r.Item.IsGold).ToList();
        var byItem = labels.ToLookup(r => r.Item.Id);

        return rows.GroupBy(r => r.Annotation.AnnotatorId).Select(group =>
        {
            var mine = group.ToList();
            var own = mine.Where(r => !r.Repeat && !r.Rejected && !r.Item.IsGold).ToList();
            var gold = mine.Where(r => r.Annotation.GoldScore is not null).Select(r => r.Annotation.GoldScore!.Value).ToList();
            var goldAccuracy = gold.Count == 0 ? null : Core.Quality.GoldAccuracy.Estimate(gold);
            var agreement = Mean(own.SelectMany(r => byItem[r.Item.Id].Where(o => o.Annotation.AnnotatorId != r.Annotation.AnnotatorId)
                .Select(o => kind.Score(answers[r.Annotation.Id], answers[o.Annotation.Id]))).OfType<double>());
            var consistency = SelfConsistency.Measure(mine.Where(r => r.Repeat)
                .Select(r => (First: mine.FirstOrDefault(f => !f.Repeat && f.Item.Id == r.Item.Id), Repeat: r))
                .Where(p => p.First is not null)
                .Select(p => (answers[p.First!.Annotation.Id], answers[p.Repeat.Annotation.Id])), kind.Score);
            var reviewed = mine.Where(r => r.Review is not null).ToList();
            double? acceptance = reviewed.Count == 0 ? null : (double)reviewed.Count(r => r.Review == "accept") / reviewed.Count;

            var detections = Detect(project, mine, own, byItem, answers);
            var trust = Trust.Weight(new TrustInputs(goldAccuracy?.Mean, agreement, consistency.Pairs > 0 ? consistency.Agreement : null, acceptance, detections.Count));
            var seconds = mine.Select(r => r.Annotation.SecondsSpent).Order().ToList();
            var report = new AnnotatorReport(
                mine[0].Pseudonym,
                own.Count,
                gold.Count,
                mine.Count(r => r.Repeat),
                reviewed.Count,
                goldAccuracy is null ? null : Math.Round(goldAccuracy.Mean, 4),
                goldAccuracy is null ? null : [Math.Round(goldAccuracy.Low, 4), Math.Round(goldAccuracy.High, 4)],
                agreement is null ? null : Math.Round(agreement.Value, 4),
                consistency.Pairs > 0 ? Math.Round(consistency.Agreement, 4) : null,
                acceptance is null ? null : Math.Round(acceptance.Value, 4),
                Math.Round(trust, 4),
                QualityRules.Active,
                detections,
                seconds[seconds.Count / 2]);
            var standing = Standing.Decide(project.Rules(), report.Stats(), restored.Contains(group.Key));
            var flags = detections.ToList();
            if (standing.Reasons.Any(r => r.StartsWith("goldAccuracy", StringComparison.Ordinal)))
                flags.Add(new AnnotatorFlag("low-gold-accuracy", string.Join(" ", standing.Reasons.Where(r => r.StartsWith("goldAccuracy", StringComparison.Ordinal)))));
            if (quarantined.TryGetValue(group.Key, out var quarantine))
                flags.Add(new AnnotatorFlag(QualityRules.Quarantined, Quarantines.Evidence(quarantine)));
            return new AnnotatorMeasures(group.Key, report with { Status = quarantine is null ? standing.Status : QualityRules.Quarantined, Flags = flags });
        }).OrderBy(m => m.Report.Annotator, StringComparer.Ordinal).ToList();
    }

    private static List<AnnotatorFlag> Detect(Project project, List<Row> mine, List<Row> own, ILookup<Guid, Row> byItem, Dictionary<Guid, object> answers)
    {
        var found = new List<(string Name, IDetection Detection)>
        {
            ("too-fast", TooFast.Detect(mine.Select(r => new TimedTask(r.Annotation.SecondsSpent, r.Item.Prompt.Length + r.Item.ResponsesJson.Length)))),
            ("vague-rationale", VagueRationales.Detect(RationaleQuality.ScoreAnnotator(mine.Where(r => r.Annotation.Rationale is not null)
                .Select(r => new RationaleInput(r.Annotation.Rationale!, r.Item.Prompt + "\n" + r.Item.ResponsesJson)).ToList()))),
        };
        // Position and length bias are about choosing between two responses shown side by side.
        if (project.TaskKind() is PairwiseKind)
        {
            var decisive = mine.Where(r => ((PairwiseAnswer)answers[r.Annotation.Id]).Choice != PairwiseAnswer.Tie).ToList();
            var first = decisive.Count(r => JsonSerializer.Deserialize<string[]>(r.Annotation.ShownOrderJson)![0] == ((PairwiseAnswer)answers[r.Annotation.Id]).Choice);
            found.Add(("position-bias", PositionBias.Detect(first, decisive.Count)));
            found.Add(("length-bias", LengthBias.Detect(own.Select(r => LengthChoiceOf(r, byItem[r.Item.Id], answers)).OfType<LengthChoice>())));
        }

        return found.Where(f => f.Detection.Fires).Select(f => new AnnotatorFlag(f.Name, f.Detection.Evidence)).ToList();
    }

    /// <summary>Did this annotator, and the others by majority, choose the longer response? Null without a consensus.</summary>
    private static LengthChoice? LengthChoiceOf(Row row, IEnumerable<Row> item, Dictionary<Guid, object> answers)
    {
        var responses = row.Item.Responses();
        if (responses.Count != 2 || responses[0].Text.Length == responses[1].Text.Length)
            return null;
        var longer = responses[0].Text.Length > responses[1].Text.Length ? responses[0].Id : responses[1].Id;
        var others = item.Where(o => o.Annotation.AnnotatorId != row.Annotation.AnnotatorId)
            .Select(o => ((PairwiseAnswer)answers[o.Annotation.Id]).Choice).Where(c => c != PairwiseAnswer.Tie).ToList();
        var mineChoice = ((PairwiseAnswer)answers[row.Annotation.Id]).Choice;
        if (others.Count == 0 || mineChoice == PairwiseAnswer.Tie)
            return null;
        var forLonger = others.Count(c => c == longer);
        if (forLonger * 2 == others.Count)
            return null;
        return new LengthChoice(mineChoice == longer, forLonger * 2 > others.Count);
    }

    private static double? Mean(IEnumerable<double> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? null : list.Average();
    }
}

internal static class AnnotatorsApi
{
    public static RouteGroupBuilder MapAnnotatorsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/projects/{id:guid}/annotators", ListAsync)
            .WithTags("Quality")
            .WithName("ProjectAnnotators")
            .WithSummary("Per annotator: labels, gold accuracy with its interval, agreement, consistency, trust, status and flags with evidence (owner).")
            .RequireAuthorization(Policies.OwnProject);
        return api;
    }

    private static async Task<Ok<IReadOnlyList<AnnotatorReport>>> ListAsync(
        HttpContext context, QualityRefresh quality, CancellationToken cancellationToken)
    {
        // Exact on request: measures are recomputed first when anything they depend on changed since the last time.
        var project = context.AuthorizedProject();
        await quality.RefreshIfStaleAsync(project, cancellationToken);
        return TypedResults.Ok(await quality.ReportsAsync(project.Id, cancellationToken));
    }
}
