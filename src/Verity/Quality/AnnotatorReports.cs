using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Core.Projects;
using Verity.Core.Quality;
using Verity.Core.Work;
using Verity.Data;
using Verity.Infrastructure;
using Verity.Labels;
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
/// <param name="Slices">Per slice (metadata.topic, or a cluster of prompts): agreement with the consensus of the others and gold.</param>
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
    double MedianSeconds,
    IReadOnlyList<SliceQuality>? Slices = null)
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

/// <summary>Every annotator's report, and the real items to recheck: those in a slice an excluded annotator was caught attacking.</summary>
public sealed record ProjectMeasures(IReadOnlyList<AnnotatorMeasures> Annotators, IReadOnlySet<Guid> Recheck);

/// <summary>
/// Computes every annotator's gold accuracy, agreement, consistency, detectors, trust and rule status from the
/// stored annotations, using the pure building blocks of Verity.Core.Quality, and judges them by the project's rules.
/// It reads every annotation of the project, so it runs in the background (<see cref="QualityRefresh"/>) and its
/// results are stored, not computed per request.
/// </summary>
public sealed class AnnotatorReports(VerityDbContext db, Security.Pseudonyms pseudonyms)
{
    private sealed record Row(Annotation Annotation, Item Item, string Pseudonym, bool Repeat, bool Rejected, string? Review);

    public async Task<ProjectMeasures> ForProjectAsync(Project project, CancellationToken cancellationToken = default)
    {
        // Items, names and reviews are loaded once each and joined in memory: joining them in SQL repeated every item's
        // prompt and responses on each of its annotations, and the review lookup ran once per row (LoadBench
        // --dashboard: 2.1 s of the quality page at 100,000 annotations before).
        var items = await db.Items.AsNoTracking().Where(i => i.ProjectId == project.Id).ToDictionaryAsync(i => i.Id, cancellationToken);
        var annotated = await db.LatestAnnotations.AsNoTracking()
            .Where(a => a.ProjectId == project.Id)
            .Join(db.Assignments, a => a.AssignmentId, s => s.Id, (a, s) => new { Annotation = a, s.IsRepeat, s.Rejected })
            .ToListAsync(cancellationToken);
        var pseudonym = await pseudonyms.ForProjectAsync(project.Id, cancellationToken);
        var reviews = (await db.Reviews.AsNoTracking().Where(r => r.ProjectId == project.Id).OrderBy(r => r.Id)
                .Select(r => new { r.AnnotationId, r.Decision }).ToListAsync(cancellationToken))
            .GroupBy(r => r.AnnotationId).ToDictionary(g => g.Key, g => g.First().Decision);
        var rows = annotated
            .Select(x => new Row(x.Annotation, items[x.Annotation.ItemId], pseudonym(x.Annotation.AnnotatorId), x.IsRepeat, x.Rejected, reviews.GetValueOrDefault(x.Annotation.Id)))
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

        // First what each annotator did on their own: gold, agreement, consistency, review; their trust before detectors
        // weighs the consensus the detectors compare them with.
        var measures = rows.GroupBy(r => r.Annotation.AnnotatorId).OrderBy(g => g.First().Pseudonym, StringComparer.Ordinal).Select(group =>
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
            var inputs = new TrustInputs(goldAccuracy?.Mean, agreement, consistency.Pairs > 0 ? consistency.Agreement : null, acceptance, GoldSeen: gold.Count);
            return new Measured(group.Key, mine, own, gold.Count, goldAccuracy, agreement, consistency, reviewed.Count, acceptance, inputs);
        }).ToList();
        var before = measures.ToDictionary(m => m.Id, m => Trust.Weight(m.Inputs));
        var defences = project.Defences();
        var adversaries = defences.Enabled ? Scan(project, items, rows, measures, before, defences) : null;

        var annotators = measures.Select((m, index) =>
        {
            var detections = Detect(project, m, byItem, answers, before, BiasAlpha / measures.Count);
            if (adversaries is not null)
                detections.AddRange(adversaries.Flags[index]);
            var trust = Trust.Weight(m.Inputs with { FiredDetectors = detections.Count });
            var seconds = m.Rows.Select(r => r.Annotation.SecondsSpent).Order().ToList();
            var report = new AnnotatorReport(
                m.Rows[0].Pseudonym,
                m.Own.Count,
                m.GoldSeen,
                m.Rows.Count(r => r.Repeat),
                m.Reviewed,
                m.GoldAccuracy is null ? null : Math.Round(m.GoldAccuracy.Mean, 4),
                m.GoldAccuracy is null ? null : [Math.Round(m.GoldAccuracy.Low, 4), Math.Round(m.GoldAccuracy.High, 4)],
                m.Agreement is null ? null : Math.Round(m.Agreement.Value, 4),
                m.Consistency.Pairs > 0 ? Math.Round(m.Consistency.Agreement, 4) : null,
                m.Acceptance is null ? null : Math.Round(m.Acceptance.Value, 4),
                Math.Round(trust, 4),
                QualityRules.Active,
                detections,
                seconds[seconds.Count / 2],
                adversaries?.Slices[index] ?? []);
            var isRestored = restored.Contains(m.Id);
            var standing = Standing.Decide(project.Rules(), report.Stats(), isRestored);
            var flags = detections.ToList();
            if (standing.Reasons.Any(r => r.StartsWith("goldAccuracy", StringComparison.Ordinal)))
                flags.Add(new AnnotatorFlag("low-gold-accuracy", string.Join(" ", standing.Reasons.Where(r => r.StartsWith("goldAccuracy", StringComparison.Ordinal)))));
            if (quarantined.TryGetValue(m.Id, out var quarantine))
                flags.Add(new AnnotatorFlag(QualityRules.Quarantined, Quarantines.Evidence(quarantine)));
            // An adversary detector that fires holds the annotator's labels out until an admin looks, as the owner's
            // quarantine does. It says more than zero-weight (which the detectors' trust penalty often causes), less
            // than a removal; a restoration overrides all.
            var automatic = standing.Status is QualityRules.Active or QualityRules.ZeroWeight && !isRestored && defences.AutoQuarantine
                && flags.Any(f => Adversarial.Contains(f.Name, StringComparer.Ordinal));
            var status = quarantine is not null || automatic ? QualityRules.Quarantined : standing.Status;
            return new AnnotatorMeasures(m.Id, report with { Status = status, Flags = flags });
        }).ToList();

        // A slice where an annotator whose answers no longer count was caught disagreeing on purpose is suspect as a
        // whole: a partner below the test's power may still be answering there, so its contested items get more eyes.
        var attacked = adversaries is null || defences.RecheckOverlap == 0 ? [] : annotators
            .Select((a, index) => LabelModel.Excludes(a.Report.Status) ? adversaries.Attacked[index] : null)
            .OfType<string>().ToHashSet(StringComparer.Ordinal);
        var recheck = attacked.Count == 0 ? [] : adversaries!.ItemSlices.Where(s => attacked.Contains(s.Value)).Select(s => s.Key).ToHashSet();
        return new ProjectMeasures(annotators, recheck);
    }

    /// <summary>Flags that say an annotator poisons labels on purpose, enough to quarantine them.</summary>
    public static readonly IReadOnlyList<string> Adversarial = ["slice-disagreement", "collusion", "shared-rationale"];

    private sealed record Measured(
        Guid Id, List<Row> Rows, List<Row> Own, int GoldSeen, GoldAccuracy? GoldAccuracy, double? Agreement, SelfConsistency Consistency,
        int Reviewed, double? Acceptance, TrustInputs Inputs);

    /// <summary>What the adversary detectors found, by annotator index.</summary>
    /// <param name="Flags">Each annotator's adversary flags.</param>
    /// <param name="Slices">Each annotator's quality per slice.</param>
    /// <param name="Attacked">Each annotator's slice whose disagreement test fired, or null.</param>
    /// <param name="ItemSlices">Each real item's slice.</param>
    private sealed record Adversaries(
        IReadOnlyList<List<AnnotatorFlag>> Flags, IReadOnlyList<IReadOnlyList<SliceQuality>> Slices, IReadOnlyList<string?> Attacked, IReadOnlyDictionary<Guid, string> ItemSlices);

    /// <summary>
    /// The adversary detectors and the influence cap, for single-label projects (the only ones with one answer per
    /// item to disagree with). Each annotator's flags name their partners by pseudonym.
    /// </summary>
    private static Adversaries? Scan(Project project, Dictionary<Guid, Item> items, List<Row> rows, List<Measured> measures, Dictionary<Guid, double> before, DefenceSettings defences)
    {
        var kind = project.TaskKind();
        if (!kind.SingleLabel(project.Rubric()))
            return null;
        var ordered = items.Values.OrderBy(i => i.Id).ToList();
        var itemIndex = ordered.Select((item, i) => (item.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var itemSlices = Slices.Assign([.. ordered.Select(Topic)], [.. ordered.Select(i => i.Prompt)], defences.SliceClusters);
        var annotatorIndex = measures.Select((m, i) => (m.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var weights = measures.Select(m => before[m.Id]).ToList();
        var counted = rows.Where(r => !r.Repeat && !r.Rejected).ToList();
        var scanAnswers = counted.Where(r => !r.Item.IsGold)
            .Select(r => new ScanAnswer(itemIndex[r.Item.Id], annotatorIndex[r.Annotation.AnnotatorId], kind.ModelClass(kind.ParseAnswer(r.Annotation.AnswerJson), ItemLabels.ResponseIds(r.Item))))
            .ToList();
        var gold = counted.Where(r => r.Annotation.GoldScore is not null)
            .Select(r => new ScanGold(annotatorIndex[r.Annotation.AnnotatorId], itemSlices[itemIndex[r.Item.Id]], r.Annotation.GoldScore >= 0.5))
            .ToList();
        var rationales = counted.Where(r => !string.IsNullOrWhiteSpace(r.Annotation.Rationale))
            .Select(r => (annotatorIndex[r.Annotation.AnnotatorId], r.Annotation.Rationale!))
            .ToList();
        var submitted = measures.Select(m => (IReadOnlyList<double>)[.. m.Rows.Select(r => (r.Annotation.CreatedAt - DateTime.UnixEpoch).TotalSeconds)]).ToList();
        var scan = AdversaryScan.Run(itemSlices, scanAnswers, gold, weights, rationales, submitted, defences.Alpha, defences.FalseDiscoveryRate, defences.MinSliceAnswers);

        var flags = measures.Select(_ => new List<AnnotatorFlag>()).ToList();
        for (var a = 0; a < measures.Count; a++)
        {
            if (scan.Slices[a] is { Fires: true } slice)
                flags[a].Add(new AnnotatorFlag("slice-disagreement", slice.Evidence));
        }

        string Name(int a) => measures[a].Rows[0].Pseudonym;
        foreach (var collusion in scan.Collusions)
        {
            flags[collusion.Pair.A].Add(new AnnotatorFlag("collusion", $"with {Name(collusion.Pair.B)}: {collusion.Evidence}"));
            flags[collusion.Pair.B].Add(new AnnotatorFlag("collusion", $"with {Name(collusion.Pair.A)}: {collusion.Evidence}"));
        }

        foreach (var shared in scan.SharedRationales)
            flags[shared.A].Add(new AnnotatorFlag("shared-rationale", $"with {Name(shared.B)}: {shared.Evidence}"));

        foreach (var timing in scan.Timings)
        {
            flags[timing.A].Add(new AnnotatorFlag("coordinated-timing", $"with {Name(timing.B)}: {timing.Evidence}"));
            flags[timing.B].Add(new AnnotatorFlag("coordinated-timing", $"with {Name(timing.A)}: {timing.Evidence}"));
        }

        // The cap counts what the labels would be without the annotators the detectors already hold out.
        var held = flags.Select(f => defences.AutoQuarantine && f.Any(x => Adversarial.Contains(x.Name, StringComparer.Ordinal))).ToList();
        var caps = AdversaryScan.Caps(itemSlices, scanAnswers, [.. weights.Select((w, a) => held[a] ? 0 : w)], scan.Groups, defences.InfluenceCap);
        for (var a = 0; a < measures.Count; a++)
        {
            if (caps[a] is { } cap)
                flags[a].Add(new AnnotatorFlag("influence-capped", cap.Evidence));
        }

        return new Adversaries(
            flags, scan.Quality, [.. scan.Slices.Select(s => s is { Fires: true } ? s.Slice : null)],
            ordered.Where(i => !i.IsGold).ToDictionary(i => i.Id, i => itemSlices[itemIndex[i.Id]]));
    }

    private static string? Topic(Item item)
    {
        using var metadata = JsonDocument.Parse(item.MetadataJson);
        return metadata.RootElement.ValueKind == JsonValueKind.Object
            && metadata.RootElement.TryGetProperty(Slices.TopicKey, out var topic)
            && topic.ValueKind == JsonValueKind.String ? topic.GetString() : null;
    }

    /// <summary>
    /// Family-wise false-alarm rate of each bias detector over a project's annotators: every annotator is tested, so each
    /// test runs at this over their number (Bonferroni). At 0.01 each, 9 of the attack suite's 20 runs
    /// flagged an honest simulated annotator for position bias.
    /// </summary>
    private const double BiasAlpha = 0.01;

    private static List<AnnotatorFlag> Detect(
        Project project, Measured m, ILookup<Guid, Row> byItem, Dictionary<Guid, object> answers, Dictionary<Guid, double> trust, double biasAlpha)
    {
        var found = new List<(string Name, IDetection Detection)>
        {
            ("too-fast", TooFast.Detect(m.Rows.Select(r => new TimedTask(r.Annotation.SecondsSpent, r.Item.Prompt.Length + r.Item.ResponsesJson.Length)))),
            ("vague-rationale", VagueRationales.Detect(RationaleQuality.ScoreAnnotator(m.Rows.Where(r => r.Annotation.Rationale is not null)
                .Select(r => new RationaleInput(r.Annotation.Rationale!, r.Item.Prompt + "\n" + r.Item.ResponsesJson)).ToList()))),
        };
        // Position and length bias are about choosing between two responses shown side by side.
        if (project.TaskKind() is PairwiseKind)
        {
            var decisive = m.Rows.Where(r => ((PairwiseAnswer)answers[r.Annotation.Id]).Choice != PairwiseAnswer.Tie).ToList();
            var first = decisive.Count(r => JsonSerializer.Deserialize<string[]>(r.Annotation.ShownOrderJson)![0] == ((PairwiseAnswer)answers[r.Annotation.Id]).Choice);
            found.Add(("position-bias", PositionBias.Detect(first, decisive.Count, biasAlpha)));
            // Judged against gold where there is enough of it: a consensus of careless annotators is no reference.
            var onGold = m.Rows.Where(r => r.Annotation.GoldScore is not null && !r.Repeat).Select(r => GoldLengthChoice(r, answers)).OfType<LengthChoice>().ToList();
            // Too little gold to judge by, but every gold answer agreed with gold: the consensus is no better a
            // reference than the annotator, so the annotator is judged by the gold they have.
            var length = onGold.Count >= LengthBias.DefaultMinItems || (onGold.Count > 0 && onGold.All(c => c.AnnotatorChoseLonger == c.ConsensusChoseLonger))
                ? LengthBias.Detect(onGold, biasAlpha)
                : LengthBias.Detect(m.Own.Select(r => LengthChoiceOf(r, byItem[r.Item.Id], answers, trust)).OfType<LengthChoice>(), biasAlpha);
            found.Add(("length-bias", length));
        }

        return found.Where(f => f.Detection.Fires).Select(f => new AnnotatorFlag(f.Name, f.Detection.Evidence)).ToList();
    }

    /// <summary>The longer of a pairwise item's two responses, or null when they are as long.</summary>
    private static string? Longer(Item item)
    {
        var responses = item.Responses();
        if (responses.Count != 2 || responses[0].Text.Length == responses[1].Text.Length)
            return null;
        return responses[0].Text.Length > responses[1].Text.Length ? responses[0].Id : responses[1].Id;
    }

    /// <summary>Did this annotator, and the gold answer, choose the longer response? Null for ties and equal lengths.</summary>
    private static LengthChoice? GoldLengthChoice(Row row, Dictionary<Guid, object> answers)
    {
        var mine = ((PairwiseAnswer)answers[row.Annotation.Id]).Choice;
        var expected = row.Item.GoldJson is null ? null : JsonSerializer.Deserialize<PairwiseAnswer>(row.Item.GoldJson, Json.Options)?.Choice;
        if (Longer(row.Item) is not { } longer || expected is null || mine == PairwiseAnswer.Tie || expected == PairwiseAnswer.Tie)
            return null;
        return new LengthChoice(mine == longer, expected == longer);
    }

    /// <summary>Did this annotator, and the others by a clear trust-weighted majority, choose the longer response? Null without one.</summary>
    private static LengthChoice? LengthChoiceOf(Row row, IEnumerable<Row> item, Dictionary<Guid, object> answers, Dictionary<Guid, double> trust)
    {
        var mineChoice = ((PairwiseAnswer)answers[row.Annotation.Id]).Choice;
        if (Longer(row.Item) is not { } longer || mineChoice == PairwiseAnswer.Tie)
            return null;
        var others = item.Where(o => o.Annotation.AnnotatorId != row.Annotation.AnnotatorId)
            .Select(o => (Choice: ((PairwiseAnswer)answers[o.Annotation.Id]).Choice, Weight: trust[o.Annotation.AnnotatorId]))
            .Where(c => c.Choice != PairwiseAnswer.Tie).ToList();
        var forLonger = others.Where(c => c.Choice == longer).Sum(c => c.Weight);
        var against = others.Where(c => c.Choice != longer).Sum(c => c.Weight);
        // Only a clear consensus is a reference, as for the adversary scan: one careless other is not.
        var total = forLonger + against;
        if (others.Count < AdversaryScan.MinReferenceAnswers || Math.Max(forLonger, against) < AdversaryScan.MinReferenceShare * total)
            return null;
        return new LengthChoice(mineChoice == longer, forLonger > against);
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
