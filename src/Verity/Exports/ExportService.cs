using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Core;
using Verity.Core.Exports;
using Verity.Core.Items;
using Verity.Core.Work;
using Verity.Data;
using Verity.Infrastructure;

namespace Verity.Exports;

/// <summary>How many records were written and, per reason, how many items were left out.</summary>
public sealed record ExportSummary(string Format, int Records, IReadOnlyDictionary<string, int> Skipped)
{
    public string SkippedText => Skipped.Count == 0 ? "none" : string.Join(", ", Skipped.Select(s => $"{s.Key}={s.Value}"));
}

/// <summary>
/// Streams a project's data as JSON Lines. Items are read in keyset pages so a million-label project is exported
/// in constant memory.
/// </summary>
public sealed class ExportService(VerityDbContext db)
{
    public static readonly IReadOnlyList<string> Formats = ["preference", "annotations"];
    private const int PageSize = 500;

    public Task<ExportSummary> WriteAsync(
        Project project, string format, Stream output, IProgress<int>? progress = null, CancellationToken cancellationToken = default) =>
        format switch
        {
            "preference" => WritePreferencesAsync(project, output, progress, cancellationToken),
            "annotations" => WriteAnnotationsAsync(project, output, progress, cancellationToken),
            _ => throw ValidationException.For("format", $"must be one of: {string.Join(", ", Formats)}."),
        };

    public Task<int> CountItemsAsync(Guid projectId, CancellationToken cancellationToken) =>
        db.Items.CountAsync(i => i.ProjectId == projectId, cancellationToken);

    private async Task<ExportSummary> WritePreferencesAsync(Project project, Stream output, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var skipped = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var records = 0;
        var done = 0;
        await using var writer = new Utf8JsonWriter(output);
        Guid? after = null;
        while (true)
        {
            var items = await db.Items.AsNoTracking()
                .Where(i => i.ProjectId == project.Id && (after == null || i.Id > after))
                .OrderBy(i => i.Id)
                .Take(PageSize)
                .ToListAsync(cancellationToken);
            if (items.Count == 0)
                break;
            after = items[^1].Id;

            var ids = items.Select(i => i.Id).ToList();
            var answers = (await db.Annotations.AsNoTracking()
                    .Where(a => a.ProjectId == project.Id && ids.Contains(a.ItemId))
                    .Select(a => new { a.ItemId, a.AnswerJson })
                    .ToListAsync(cancellationToken))
                .ToLookup(a => a.ItemId, a => JsonSerializer.Deserialize<PairwiseAnswer>(a.AnswerJson, Json.Options)!);

            foreach (var item in items)
            {
                var responses = JsonSerializer.Deserialize<List<Response>>(item.ResponsesJson, Json.Options)!;
                var outcome = PreferenceAggregation.Decide(answers[item.Id].ToList(), responses.Select(r => r.Id).ToList(), project.Overlap);
                if (outcome.Skipped is { } reason)
                {
                    var name = SkipName(reason);
                    skipped[name] = skipped.GetValueOrDefault(name) + 1;
                    continue;
                }

                writer.WriteStartObject();
                writer.WriteString("externalId", item.ExternalId);
                writer.WriteString("prompt", item.Prompt);
                writer.WriteString("chosen", responses.First(r => r.Id == outcome.ChosenId).Text);
                writer.WriteString("rejected", responses.First(r => r.Id == outcome.RejectedId).Text);
                writer.WriteString("chosenId", outcome.ChosenId);
                writer.WriteString("rejectedId", outcome.RejectedId);
                writer.WriteNumber("margin", Math.Round(outcome.Margin, 4));
                writer.WriteNumber("annotators", outcome.Annotators);
                writer.WriteNumber("agreement", Math.Round(outcome.Agreement, 4));
                writer.WriteEndObject();
                await EndLineAsync(writer, output, cancellationToken);
                records++;
            }

            progress?.Report(done += items.Count);
        }

        return new ExportSummary("preference", records, skipped);
    }

    private async Task<ExportSummary> WriteAnnotationsAsync(Project project, Stream output, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var records = 0;
        await using var writer = new Utf8JsonWriter(output);
        Guid? after = null;
        while (true)
        {
            var page = await db.Annotations.AsNoTracking()
                .Where(a => a.ProjectId == project.Id && (after == null || a.Id > after))
                .OrderBy(a => a.Id)
                .Take(PageSize)
                .Join(db.Items, a => a.ItemId, i => i.Id, (a, i) => new { Annotation = a, i.ExternalId })
                .Join(db.Users, x => x.Annotation.AnnotatorId, u => u.Id, (x, u) => new { x.Annotation, x.ExternalId, u.Pseudonym })
                .ToListAsync(cancellationToken);
            if (page.Count == 0)
                break;
            after = page[^1].Annotation.Id;

            foreach (var row in page)
            {
                var a = row.Annotation;
                writer.WriteStartObject();
                writer.WriteString("annotationId", a.Id);
                writer.WriteString("externalId", row.ExternalId);
                writer.WriteString("annotator", row.Pseudonym);
                writer.WriteNumber("guidelineVersion", a.GuidelineVersion);
                writer.WritePropertyName("shownOrder");
                writer.WriteRawValue(a.ShownOrderJson);
                writer.WritePropertyName("answer");
                writer.WriteRawValue(a.AnswerJson);
                writer.WriteString("rationale", a.Rationale);
                writer.WriteNumber("secondsSpent", a.SecondsSpent);
                writer.WriteString("createdAt", a.CreatedAt);
                writer.WriteString("assignmentId", a.AssignmentId);
                writer.WriteEndObject();
                await EndLineAsync(writer, output, cancellationToken);
            }

            progress?.Report(records += page.Count);
        }

        return new ExportSummary("annotations", records, new Dictionary<string, int>(StringComparer.Ordinal));
    }

    private static async Task EndLineAsync(Utf8JsonWriter writer, Stream output, CancellationToken cancellationToken)
    {
        await writer.FlushAsync(cancellationToken);
        output.WriteByte((byte)'\n');
        writer.Reset();
    }

    private static string SkipName(SkipReason reason) => reason switch
    {
        SkipReason.NotEnoughAnnotations => "not-enough-annotations",
        SkipReason.Tie => "tie",
        SkipReason.SplitVote => "split-vote",
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };
}
