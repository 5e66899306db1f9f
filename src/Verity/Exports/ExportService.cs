using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Core;
using Verity.Core.Exports;
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
public sealed class ExportService(VerityDbContext db, Security.Pseudonyms pseudonyms)
{
    /// <summary>Every format some kind exports to.</summary>
    public static readonly IReadOnlyList<string> Formats = [.. TaskKind.All.SelectMany(k => k.ExportFormats).Distinct(StringComparer.Ordinal)];
    public static readonly IReadOnlyList<string> PairModes = ["all", "best-worst"];
    private const int PageSize = 500;

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
        var kind = project.TaskKind();
        if (!Formats.Contains(format, StringComparer.Ordinal))
            throw ValidationException.For("format", $"must be one of: {string.Join(", ", Formats)}.");
        if (!kind.ExportFormats.Contains(format, StringComparer.Ordinal))
            throw ValidationException.For("format", $"{format} does not apply to a {project.Kind} project; use one of: {string.Join(", ", kind.ExportFormats)}.");
        if (!PairModes.Contains(pairs, StringComparer.Ordinal))
            throw ValidationException.For("pairs", $"must be one of: {string.Join(", ", PairModes)}.");

        await using var writer = new RecordWriter(output, format);
        var rubric = project.Rubric();
        var model = whatIf?.Model ?? await LabelModel.LoadAsync(db, project, annotators: null, cancellationToken);
        IReadOnlySet<Guid> copied = format == "sft" ? await NearDuplicatesAsync(project.Id, cancellationToken) : new HashSet<Guid>();
        var done = 0;
        // Gold items and repeats measure annotators and rejected answers were judged wrong: none is training data,
        // though the raw annotations keep them all, marked.
        await foreach (var (item, annotations) in ItemsAsync(project.Id, raw: format == TaskKind.AnnotationsFormat, whatIf?.Items, cancellationToken))
        {
            if (whatIf is not null)
                ItemLabels.Apply(project, rubric, item, [.. annotations.Select(a => new ItemAnswer(a.Annotation.AnnotatorId, a.Annotation.AnswerJson))], model);
            switch (format)
            {
                case TaskKind.AnnotationsFormat:
                    foreach (var row in annotations)
                        await writer.WriteAsync(w => WriteAnnotation(w, item, row), cancellationToken);
                    break;
                case var _ when format == kind.AnswerRecordFormat:
                    await WriteAnswerRecordsAsync(writer, kind, rubric, item, annotations, model, copied, cancellationToken);
                    break;
                default:
                    if (annotations.Any(a => a.Annotation.Escalated))
                        writer.Skip("escalated");
                    // Annotators an item asked for because a suspect answered it improve the record when they come;
                    // they do not hold back what the counted answers already decide.
                    else if (annotations.Count < item.TargetOverlap - annotations.Count(a => model.NeedsAnother(a.Annotation.AnnotatorId)) || annotations.Count == 0)
                        writer.Skip("not-enough-annotations");
                    else
                        await WriteAggregateAsync(writer, kind, rubric, model, item, annotations, pairs, cancellationToken);
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
        RecordWriter writer, TaskKind kind, Rubric rubric, LabelModel model, Item item, List<AnnotationRow> rows, string pairs, CancellationToken cancellationToken)
    {
        var responses = item.Responses();
        string Text(string id) => responses.First(r => r.Id == id).Text;
        var ids = responses.Select(r => r.Id).ToList();
        var weights = rows.Select(r => model.VoteWeight(r.Annotation.AnnotatorId)).ToList();
        var answers = rows.Select(r => kind.ParseAnswer(r.Annotation.AnswerJson)).ToList();
        switch (writer.Format)
        {
            case "preference" or "preference-chat":
                {
                    var found = kind.Preferences(answers, weights, ids, item.Label, item.Confidence, bestWorstOnly: pairs == "best-worst")!;
                    if (found.Skipped is { } reason)
                        writer.Skip(reason);
                    foreach (var pair in found.Pairs)
                        await WritePairAsync(writer, item, pair, Text, cancellationToken);
                    break;
                }

            case "ratings":
                {
                    var ratings = answers.Cast<RatingAnswer>().ToList();
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
                            var summary = RatingAggregation.Summarise(ratings.Select(a => a.Scores.GetValueOrDefault(dimension.Name)).ToList(), weights);
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

            case "classification":
                {
                    var outcome = ClassificationAggregation.Decide(answers.Cast<ClassificationAnswer>().ToList(), rubric.MultiLabel, item.TargetOverlap, weights);
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
                Chat.Write(w, "chosen", item.Prompt, text(pair.ChosenId));
                Chat.Write(w, "rejected", item.Prompt, text(pair.RejectedId));
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
    /// One record per accepted answer, in the kind's shape, except those escalated, that the kind leaves out (an
    /// unchanged rewrite), by an annotator whose answers do not count (removed, zero-weight, quarantined), or written
    /// texts flagged by the scanner.
    /// </summary>
    private static async Task WriteAnswerRecordsAsync(
        RecordWriter writer, TaskKind kind, Rubric rubric, Item item, List<AnnotationRow> rows, LabelModel model, IReadOnlySet<Guid> copied, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
            writer.Skip("not-enough-annotations");
        foreach (var row in rows)
        {
            var answer = kind.ParseAnswer(row.Annotation.AnswerJson);
            if (row.Annotation.Escalated)
            {
                writer.Skip("escalated");
                continue;
            }

            if (kind.SkipAnswerRecord(answer) is { } reason)
            {
                writer.Skip(reason);
                continue;
            }

            if (!model.Counts(row.Annotation.AnnotatorId))
            {
                writer.Skip("excluded-annotator");
                continue;
            }

            // Written texts are scanned; a kind whose answers are not free text has nothing to scan.
            IReadOnlyList<SftFinding> findings = answer is TextAnswer text ? SftScanner.Scan(text.Text, kind.DraftText(item.Responses())) : [];
            if (findings.Count > 0 || copied.Contains(row.Annotation.Id))
            {
                writer.Skip(findings.Count > 0 ? $"scan-{findings[0].Rule}" : "scan-near-duplicate");
                continue;
            }

            await writer.WriteAsync(w =>
            {
                w.WriteString("externalId", item.ExternalId);
                kind.WriteAnswerRecord(w, new AnswerRecord(item.ExternalId, item.Prompt, item.Reference, answer, row.Pseudonym, row.Annotation.GuidelineVersion, rubric));
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

    /// <summary>These items (null: every item), under this model.</summary>
    public sealed record WhatIf(IReadOnlyCollection<Guid>? Items, LabelModel Model);

    private sealed record AnnotationRow(Annotation Annotation, string Pseudonym, bool Rejected, bool Repeat);

    /// <summary>
    /// The ids of the demonstrations and rewrites (counted, not gold) that near-duplicate one by another annotator on
    /// another item. It needs every text of the project at once, so it reads them before the records are written.
    /// </summary>
    private async Task<IReadOnlySet<Guid>> NearDuplicatesAsync(Guid projectId, CancellationToken cancellationToken)
    {
        var rows = await db.LatestAnnotations.AsNoTracking()
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
        var pseudonym = await pseudonyms.ForProjectAsync(projectId, cancellationToken);
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
            var annotations = (await db.LatestAnnotations.AsNoTracking()
                    .Where(a => a.ProjectId == projectId && ids.Contains(a.ItemId)
                        && (raw || !db.Assignments.Any(x => x.Id == a.AssignmentId && (x.Rejected || x.IsRepeat))))
                    .Join(db.Assignments, a => a.AssignmentId, s => s.Id, (a, s) => new { Annotation = a, s.Rejected, s.IsRepeat })
                    .ToListAsync(cancellationToken))
                .OrderBy(a => a.Annotation.Id)
                .ToLookup(a => a.Annotation.ItemId, a => new AnnotationRow(a.Annotation, pseudonym(a.Annotation.AnnotatorId), a.Rejected, a.IsRepeat));
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
