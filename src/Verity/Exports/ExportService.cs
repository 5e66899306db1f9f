using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Core;
using Verity.Core.Exports;
using Verity.Core.Items;
using Verity.Core.Labels;
using Verity.Core.Projects;
using Verity.Core.Work;
using Verity.Data;
using Verity.Infrastructure;
using Verity.Labels;

namespace Verity.Exports;

/// <summary>How many records were written and, per reason, how many items (or annotations) were left out.</summary>
public sealed record ExportSummary(string Format, int Records, IReadOnlyDictionary<string, int> Skipped)
{
    public string SkippedText => Skipped.Count == 0 ? "none" : string.Join(", ", Skipped.Select(s => $"{s.Key}={s.Value}"));
}

/// <summary>
/// Streams a project's data as JSON Lines in one of the training formats. Items are read in keyset pages with
/// their annotations, so a million-label project is exported in constant memory. Items with an escalated flag stay
/// out of aggregated formats until the owner has dealt with them. SFT records that <see cref="SftScanner"/> flags
/// are left out, each counted under its reason (scan-link, scan-secret, scan-insecure-code, scan-near-duplicate).
/// </summary>
public sealed class ExportService(VerityDbContext db)
{
    public static readonly IReadOnlyList<string> Formats = ["preference", "preference-chat", "sft", "ratings", "classification", "annotations"];
    public static readonly IReadOnlyList<string> PairModes = ["all", "best-worst"];
    private const int PageSize = 500;

    private static readonly Dictionary<string, string[]> KindsByFormat = new(StringComparer.Ordinal)
    {
        ["preference"] = [TaskKind.Pairwise, TaskKind.Ranking],
        ["preference-chat"] = [TaskKind.Pairwise, TaskKind.Ranking],
        ["sft"] = [TaskKind.Demonstration, TaskKind.Rewrite],
        ["ratings"] = [TaskKind.Rating],
        ["classification"] = [TaskKind.Classification],
        ["annotations"] = [.. TaskKind.Supported],
    };

    /// <summary>The formats that apply to a task kind.</summary>
    public static IEnumerable<string> FormatsFor(string kind) => KindsByFormat.Where(k => k.Value.Contains(kind, StringComparer.Ordinal)).Select(k => k.Key);

    /// <summary>Writes the project in <paramref name="format"/>; returns what was written and left out.</summary>
    /// <param name="pairs">For rankings: every majority pair ("all") or only the best against the worst ("best-worst").</param>
    public Task<ExportSummary> WriteAsync(
        Project project, string format, Stream output, string pairs = "all", IProgress<int>? progress = null, CancellationToken cancellationToken = default) =>
        WriteAsync(project, format, output, pairs, whatIf: null, progress, cancellationToken);

    /// <summary>
    /// What the export of <paramref name="whatIf"/>'s items would be under another annotator model (one that leaves an
    /// annotator out, say): every item's live label is recomputed under the model before its record is decided.
    /// </summary>
    public Task<ExportSummary> WriteWhatIfAsync(Project project, string format, Stream output, WhatIf whatIf, CancellationToken cancellationToken = default) =>
        WriteAsync(project, format, output, "all", whatIf, progress: null, cancellationToken);

    private async Task<ExportSummary> WriteAsync(
        Project project, string format, Stream output, string pairs, WhatIf? whatIf, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        if (!KindsByFormat.TryGetValue(format, out var kinds))
            throw ValidationException.For("format", $"must be one of: {string.Join(", ", Formats)}.");
        if (!kinds.Contains(project.Kind, StringComparer.Ordinal))
            throw ValidationException.For("format", $"{format} does not apply to a {project.Kind} project; use one of: {string.Join(", ", FormatsFor(project.Kind))}.");
        if (!PairModes.Contains(pairs, StringComparer.Ordinal))
            throw ValidationException.For("pairs", $"must be one of: {string.Join(", ", PairModes)}.");

        await using var writer = new RecordWriter(output, format);
        var rubric = Rubric.Parse(project.RubricJson, project.Kind);
        var model = whatIf?.Model ?? await LabelModel.LoadAsync(db, project, annotators: null, cancellationToken);
        IReadOnlySet<Guid> copied = format == "sft" ? await NearDuplicatesAsync(project.Id, cancellationToken) : new HashSet<Guid>();
        var done = 0;
        // Gold items and repeats measure annotators and rejected answers were judged wrong: none is training data,
        // though the raw annotations keep them all, marked.
        await foreach (var (item, annotations) in ItemsAsync(project.Id, raw: format == "annotations", whatIf?.Items, cancellationToken))
        {
            if (whatIf is not null)
                ItemLabels.Apply(project, rubric, item, [.. annotations.Select(a => new ItemAnswer(a.Annotation.AnnotatorId, a.Annotation.AnswerJson))], model);
            var responses = JsonSerializer.Deserialize<List<Response>>(item.ResponsesJson, Json.Options)!;
            switch (format)
            {
                case "annotations":
                    foreach (var row in annotations)
                        await writer.WriteAsync(w => WriteAnnotation(w, item, row), cancellationToken);
                    break;
                case "sft":
                    await WriteSftAsync(writer, item, responses, annotations, model, copied, cancellationToken);
                    break;
                default:
                    if (annotations.Any(a => a.Annotation.Escalated))
                        writer.Skip("escalated");
                    // Annotators an item asked for because a suspect answered it improve the record when they come;
                    // they do not hold back what the counted answers already decide.
                    else if (annotations.Count < item.TargetOverlap - annotations.Count(a => model.NeedsAnother(a.Annotation.AnnotatorId)) || annotations.Count == 0)
                        writer.Skip("not-enough-annotations");
                    else
                        await WriteAggregateAsync(writer, project, rubric, model, item, responses, annotations, pairs, cancellationToken);
                    break;
            }

            progress?.Report(++done);
        }

        await writer.FlushAsync(cancellationToken);
        return writer.Summary;
    }

    public Task<int> CountItemsAsync(Guid projectId, CancellationToken cancellationToken) =>
        db.Items.CountAsync(i => i.ProjectId == projectId, cancellationToken);

    /// <summary>
    /// Single labels (pairwise, one-label classification) are the item's live label under the project's method; votes,
    /// means and rank pairs weigh each answer by <see cref="LabelModel.VoteWeight"/>, so annotators a rule weighs zero
    /// count for nothing.
    /// </summary>
    private static async Task WriteAggregateAsync(
        RecordWriter writer, Project project, Rubric rubric, LabelModel model, Item item, List<Response> responses, List<AnnotationRow> rows, string pairs, CancellationToken cancellationToken)
    {
        string Text(string id) => responses.First(r => r.Id == id).Text;
        var ids = responses.Select(r => r.Id).ToList();
        var weights = rows.Select(r => model.VoteWeight(r.Annotation.AnnotatorId)).ToList();
        switch (project.Kind)
        {
            case TaskKind.Pairwise:
                {
                    var counted = rows.Where((_, i) => weights[i] > 0).Select(r => Answer<PairwiseAnswer>(r)).ToList();
                    var outcome = PreferenceAggregation.Decide(counted, ids, item.Label, item.Confidence ?? 0);
                    if (outcome.Skipped is { } reason)
                        writer.Skip(reason switch { SkipReason.Tie => "tie", SkipReason.SplitVote => "split-vote", _ => "no-label" });
                    else
                        await WritePairAsync(writer, item, new PreferencePair(outcome.ChosenId!, outcome.RejectedId!, outcome.Margin, outcome.Agreement, outcome.Annotators), Text, cancellationToken);
                    break;
                }

            case TaskKind.Ranking:
                {
                    var answers = rows.Select(r => Answer<RankingAnswer>(r)).ToList();
                    var found = pairs == "best-worst"
                        ? RankingAggregation.BestWorst(answers, ids, weights) is { } one ? [one] : []
                        : RankingAggregation.ImpliedPairs(answers, ids, weights);
                    if (found.Count == 0)
                        writer.Skip("split-vote");
                    foreach (var pair in found)
                        await WritePairAsync(writer, item, pair, Text, cancellationToken);
                    break;
                }

            case TaskKind.Rating:
                {
                    var answers = rows.Select(r => Answer<RatingAnswer>(r)).ToList();
                    await writer.WriteAsync(w =>
                    {
                        w.WriteString("externalId", item.ExternalId);
                        w.WriteString("prompt", item.Prompt);
                        w.WriteString("responseId", responses[0].Id);
                        w.WriteString("response", responses[0].Text);
                        w.WriteNumber("annotators", rows.Count);
                        w.WriteStartObject("scores");
                        foreach (var dimension in rubric.Dimensions)
                        {
                            var summary = RatingAggregation.Summarise(answers.Select(a => a.Scores.GetValueOrDefault(dimension.Name)).ToList(), weights);
                            w.WritePropertyName(dimension.Name);
                            if (summary is null)
                            {
                                w.WriteNullValue();
                                continue;
                            }

                            w.WriteStartObject();
                            w.WriteNumber("mean", Math.Round(summary.Mean, 4));
                            w.WriteNumber("median", summary.Median);
                            w.WriteNumber("spread", Math.Round(summary.Spread, 4));
                            w.WriteNumber("count", summary.Count);
                            w.WriteNumber("notApplicable", summary.NotApplicable);
                            w.WriteEndObject();
                        }

                        w.WriteEndObject();
                    }, cancellationToken);
                    break;
                }

            case TaskKind.Classification:
                {
                    var outcome = ClassificationAggregation.Decide(rows.Select(r => Answer<ClassificationAnswer>(r)).ToList(), rubric.MultiLabel, item.TargetOverlap, weights);
                    if (!rubric.MultiLabel)
                    {
                        outcome = item.Label is null
                            ? outcome with { Skipped = SkipReason.NotEnoughAnnotations }
                            : outcome with { Labels = [item.Label], Confidence = item.Confidence ?? 0, Skipped = item.Confidence > 0.5 ? null : SkipReason.SplitVote };
                    }

                    if (outcome.Skipped is not null)
                    {
                        writer.Skip(outcome.Skipped == SkipReason.SplitVote ? "split-vote" : "no-label");
                        break;
                    }

                    await writer.WriteAsync(w =>
                    {
                        w.WriteString("externalId", item.ExternalId);
                        w.WriteString("prompt", item.Prompt);
                        if (responses.Count > 0)
                            w.WriteString("response", responses[0].Text);
                        w.WriteStartArray("labels");
                        foreach (var label in outcome.Labels)
                            w.WriteStringValue(label);
                        w.WriteEndArray();
                        w.WriteNumber("confidence", Math.Round(outcome.Confidence, 4));
                        w.WriteStartObject("votes");
                        foreach (var (label, count) in outcome.Votes)
                            w.WriteNumber(label, count);
                        w.WriteEndObject();
                        w.WriteNumber("annotators", outcome.Annotators);
                    }, cancellationToken);
                    break;
                }
        }
    }

    private static Task WritePairAsync(RecordWriter writer, Item item, PreferencePair pair, Func<string, string> text, CancellationToken cancellationToken) =>
        writer.WriteAsync(w =>
        {
            w.WriteString("externalId", item.ExternalId);
            if (writer.Format == "preference-chat")
            {
                Conversation(w, "chosen", item.Prompt, text(pair.ChosenId));
                Conversation(w, "rejected", item.Prompt, text(pair.RejectedId));
            }
            else
            {
                w.WriteString("prompt", item.Prompt);
                w.WriteString("chosen", text(pair.ChosenId));
                w.WriteString("rejected", text(pair.RejectedId));
            }

            w.WriteString("chosenId", pair.ChosenId);
            w.WriteString("rejectedId", pair.RejectedId);
            w.WriteNumber("margin", Math.Round(pair.Margin, 4));
            w.WriteNumber("annotators", pair.Annotators);
            w.WriteNumber("agreement", Math.Round(pair.Agreement, 4));
            if (item.Confidence is { } confidence)
                w.WriteNumber("confidence", confidence);
        }, cancellationToken);

    /// <summary>
    /// One record per demonstration or rewrite, except those escalated, unchanged, by an annotator whose answers do not
    /// count (removed, zero-weight, quarantined), or flagged by the scanner.
    /// </summary>
    private static async Task WriteSftAsync(
        RecordWriter writer, Item item, List<Response> responses, List<AnnotationRow> rows, LabelModel model, IReadOnlySet<Guid> copied, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
            writer.Skip("not-enough-annotations");
        foreach (var row in rows)
        {
            var answer = Answer<TextAnswer>(row);
            if (row.Annotation.Escalated)
            {
                writer.Skip("escalated");
                continue;
            }

            if (answer.Changed == false)
            {
                writer.Skip("unchanged-rewrite");
                continue;
            }

            if (!model.Counts(row.Annotation.AnnotatorId))
            {
                writer.Skip("excluded-annotator");
                continue;
            }

            var findings = SftScanner.Scan(answer.Text, answer.Changed is null ? null : responses[0].Text);
            if (findings.Count > 0 || copied.Contains(row.Annotation.Id))
            {
                writer.Skip(findings.Count > 0 ? $"scan-{findings[0].Rule}" : "scan-near-duplicate");
                continue;
            }

            await writer.WriteAsync(w =>
            {
                w.WriteString("externalId", item.ExternalId);
                Conversation(w, "messages", item.Prompt, answer.Text);
                w.WriteString("source", answer.Changed is null ? "demonstration" : "rewrite");
                w.WriteString("annotator", row.Pseudonym);
                w.WriteNumber("guidelineVersion", row.Annotation.GuidelineVersion);
            }, cancellationToken);
        }
    }

    private static void WriteAnnotation(Utf8JsonWriter w, Item item, AnnotationRow row)
    {
        var a = row.Annotation;
        w.WriteString("annotationId", a.Id);
        w.WriteString("externalId", item.ExternalId);
        w.WriteString("annotator", row.Pseudonym);
        w.WriteNumber("guidelineVersion", a.GuidelineVersion);
        w.WritePropertyName("shownOrder");
        w.WriteRawValue(a.ShownOrderJson);
        w.WritePropertyName("answer");
        w.WriteRawValue(a.AnswerJson);
        w.WritePropertyName("flags");
        w.WriteRawValue(a.FlagsJson);
        w.WriteBoolean("escalated", a.Escalated);
        w.WriteBoolean("onGoldItem", item.IsGold);
        w.WriteBoolean("rejected", row.Rejected);
        w.WriteBoolean("repeat", row.Repeat);
        if (a.GoldScore is { } score)
            w.WriteNumber("goldScore", score);
        w.WriteString("rationale", a.Rationale);
        w.WriteNumber("secondsSpent", a.SecondsSpent);
        w.WriteString("createdAt", a.CreatedAt);
        w.WriteString("assignmentId", a.AssignmentId);
    }

    private static void Conversation(Utf8JsonWriter w, string name, string prompt, string reply)
    {
        w.WriteStartArray(name);
        foreach (var (role, content) in new[] { ("user", prompt), ("assistant", reply) })
        {
            w.WriteStartObject();
            w.WriteString("role", role);
            w.WriteString("content", content);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static T Answer<T>(AnnotationRow row) => JsonSerializer.Deserialize<T>(row.Annotation.AnswerJson, Json.Options)!;

    /// <summary>These items (null: every item), under this model.</summary>
    public sealed record WhatIf(IReadOnlyCollection<Guid>? Items, LabelModel Model);

    private sealed record AnnotationRow(Annotation Annotation, string Pseudonym, bool Rejected, bool Repeat);

    /// <summary>
    /// The ids of the demonstrations and rewrites (counted, not gold) that near-duplicate one by another annotator on
    /// another item. It needs every text of the project at once, so it reads them before the records are written.
    /// </summary>
    private async Task<IReadOnlySet<Guid>> NearDuplicatesAsync(Guid projectId, CancellationToken cancellationToken)
    {
        var rows = await db.Annotations.AsNoTracking()
            .Where(a => a.ProjectId == projectId
                && !db.Items.Any(i => i.Id == a.ItemId && i.IsGold)
                && !db.Assignments.Any(x => x.Id == a.AssignmentId && (x.Rejected || x.IsRepeat)))
            .Select(a => new { a.Id, a.ItemId, a.AnnotatorId, a.AnswerJson })
            .ToListAsync(cancellationToken);
        var texts = rows.Select(r => new SftText(r.ItemId, r.AnnotatorId, JsonSerializer.Deserialize<TextAnswer>(r.AnswerJson, Json.Options)!.Text)).ToList();
        return SftScanner.NearDuplicates(texts).SelectMany(p => new[] { rows[p.First].Id, rows[p.Second].Id }).ToHashSet();
    }

    private async IAsyncEnumerable<(Item Item, List<AnnotationRow> Annotations)> ItemsAsync(
        Guid projectId, bool raw, IReadOnlyCollection<Guid>? only, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Guid? after = null;
        var wanted = only?.Order().ToList();
        while (true)
        {
            // Either every item in keyset pages, or the wanted ones a page of ids at a time.
            var page = wanted?.Where(id => after == null || id > after).Take(PageSize).ToList();
            var items = await db.Items.AsNoTracking()
                .Where(i => i.ProjectId == projectId && (page == null ? after == null || i.Id > after : page.Contains(i.Id)))
                .OrderBy(i => i.Id)
                .Take(PageSize)
                .ToListAsync(cancellationToken);
            if (items.Count == 0)
                yield break;
            // Paging goes by every item, gold included, so a page of gold cannot end the export early.
            after = page is null ? items[^1].Id : page[^1];

            var ids = items.Select(i => i.Id).ToList();
            var annotations = (await db.Annotations.AsNoTracking()
                    .Where(a => a.ProjectId == projectId && ids.Contains(a.ItemId)
                        && (raw || !db.Assignments.Any(x => x.Id == a.AssignmentId && (x.Rejected || x.IsRepeat))))
                    .Join(db.Users, a => a.AnnotatorId, u => u.Id, (a, u) => new { Annotation = a, u.Pseudonym })
                    .Join(db.Assignments, x => x.Annotation.AssignmentId, s => s.Id, (x, s) => new { x.Annotation, x.Pseudonym, s.Rejected, s.IsRepeat })
                    .ToListAsync(cancellationToken))
                .OrderBy(a => a.Annotation.Id)
                .ToLookup(a => a.Annotation.ItemId, a => new AnnotationRow(a.Annotation, a.Pseudonym, a.Rejected, a.IsRepeat));
            foreach (var item in items.Where(i => raw || !i.IsGold))
                yield return (item, annotations[item.Id].ToList());
        }
    }

    /// <summary>Writes one JSON object per line and counts what was written and what was left out.</summary>
    private sealed class RecordWriter(Stream output, string format) : IAsyncDisposable
    {
        private readonly Utf8JsonWriter _json = new(output);
        private readonly SortedDictionary<string, int> _skipped = new(StringComparer.Ordinal);
        private int _records;

        public string Format => format;

        public ExportSummary Summary => new(format, _records, _skipped);

        public async Task WriteAsync(Action<Utf8JsonWriter> body, CancellationToken cancellationToken)
        {
            _json.WriteStartObject();
            body(_json);
            _json.WriteEndObject();
            await _json.FlushAsync(cancellationToken);
            output.WriteByte((byte)'\n');
            _json.Reset();
            _records++;
        }

        public void Skip(string reason) => _skipped[reason] = _skipped.GetValueOrDefault(reason) + 1;

        public async Task FlushAsync(CancellationToken cancellationToken)
        {
            await _json.FlushAsync(cancellationToken);
            await output.FlushAsync(cancellationToken);
        }

        public ValueTask DisposeAsync() => _json.DisposeAsync();
    }
}
