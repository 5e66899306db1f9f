using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Core;
using Verity.Core.Items;
using Verity.Core.Work;
using Verity.Data;
using Verity.Infrastructure;
using Verity.Labels;

namespace Verity.Items;

/// <summary>What an import stored, and what the requester must know about it.</summary>
/// <param name="Imported">Items stored, gold included.</param>
/// <param name="Gold">Of those, gold items.</param>
/// <param name="Warnings">Problems that do not stop the import, such as gold that will never be served.</param>
public sealed record ImportResult(int Imported, int Gold, IReadOnlyList<string> Warnings);

/// <summary>
/// Imports a JSON Lines file into a project: every line is checked, and either all lines are stored or none.
/// Lines are inserted in batches inside one transaction while parsing goes on, so a large file is never held in
/// memory; the first bad line stops the inserts, the rest are still checked so the error lists them all.
/// </summary>
public sealed class ItemImporter(VerityDbContext db, TimeProvider clock)
{
    private const int BatchSize = 1_000;
    private const int MaxLinesReported = 100;

    /// <summary>Imports every line of <paramref name="jsonl"/>, or nothing; returns the counts and any warnings.</summary>
    /// <param name="progress">Receives the number of bytes read so far, for progress bars.</param>
    public async Task<ImportResult> ImportAsync(Project project, Stream jsonl, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var existing = (await db.Items.Where(i => i.ProjectId == project.Id).Select(i => i.ExternalId).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var errors = new ErrorList();
        var badLines = 0;
        var batch = new List<Item>(BatchSize);
        var imported = 0;
        var gold = 0;
        var now = clock.GetUtcNow().UtcDateTime;
        var rubric = project.Rubric();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        using var reader = new StreamReader(jsonl, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;

            var problems = new List<string>();
            var draft = ItemLineParser.Parse(line, project.Kind, rubric, problems);
            if (draft is not null)
            {
                if (existing.Contains(draft.ExternalId))
                    problems.Add($"externalId: \"{draft.ExternalId}\" is already in this project");
                else if (seen.TryGetValue(draft.ExternalId, out var firstLine))
                    problems.Add($"externalId: \"{draft.ExternalId}\" already appears on line {firstLine}");
                else
                    seen[draft.ExternalId] = lineNumber;
            }

            if (problems.Count > 0)
            {
                if (++badLines <= MaxLinesReported)
                {
                    foreach (var problem in problems)
                        errors.Add($"line {lineNumber}", problem);
                }

                continue;
            }

            if (!errors.IsEmpty)
                continue;
            batch.Add(ToItem(project, draft!, existing.Count + seen.Count, now));
            gold += draft!.Gold is null ? 0 : 1;
            if (batch.Count == BatchSize)
            {
                imported += await FlushAsync(batch, cancellationToken);
                progress?.Report(jsonl.CanSeek ? jsonl.Position : lineNumber);
            }
        }

        if (badLines > MaxLinesReported)
            errors.Add("file", $"{badLines - MaxLinesReported} more bad lines not listed.");
        if (lineNumber == 0 || (seen.Count == 0 && errors.IsEmpty))
            errors.Add("file", "contains no items: send one JSON object per line.");
        errors.ThrowIfAny();

        imported += await FlushAsync(batch, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        progress?.Report(jsonl.CanSeek ? jsonl.Position : lineNumber);
        // Gold that is never served measures nobody; the requester must hear it now, not after the labels are in.
        var warnings = gold > 0 && project.GoldRate <= 0 && project.CalibrationItems <= 0
            ? [$"{gold} gold item{(gold == 1 ? " was" : "s were")} imported but will never be served: this project's gold rate and calibration are both 0. "
                + "Create the project with gold.rate (0.1 by default) or gold.calibration above 0 to measure annotators with them."]
            : Array.Empty<string>();
        return new ImportResult(imported, gold, warnings);
    }

    private async Task<int> FlushAsync(List<Item> batch, CancellationToken cancellationToken)
    {
        db.Items.AddRange(batch);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        var count = batch.Count;
        batch.Clear();
        return count;
    }

    private static Item ToItem(Project project, ItemDraft draft, long position, DateTime now)
    {
        var item = new Item
        {
            Id = Guid.CreateVersion7(),
            ProjectId = project.Id,
            TargetOverlap = project.Overlap,
            ExternalId = draft.ExternalId,
            Prompt = draft.Prompt,
            ResponsesJson = JsonSerializer.Serialize(draft.Responses, Json.Options),
            MetadataJson = draft.MetadataJson,
            Reference = draft.Reference,
            IsGold = draft.Gold is not null,
            GoldJson = draft.Gold is null ? null : JsonSerializer.Serialize(draft.Gold, draft.Gold.GetType(), Json.Options),
            GoldExplanation = draft.GoldExplanation,
            ScoresJson = draft.ScoresJson,
            Position = position,
            CreatedAt = now,
        };
        item.ServeKey = ServingPolicies.ItemKey(item.Id);
        ItemLabels.Recertify(item);
        return item;
    }
}
