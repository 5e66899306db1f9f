using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Core;
using Verity.Core.Items;
using Verity.Data;
using Verity.Infrastructure;
using Verity.Labels;

namespace Verity.Items;

/// <summary>The body of POST /api/v1/projects/{id}/scores: new model scores for any set of the project's items.</summary>
public sealed record ScoresRequest(IReadOnlyList<ItemScores>? Items);

/// <summary>One item's new scores: a score per response id, or a probability per label (see the import's <c>scores</c>).</summary>
public sealed record ItemScores(string? ExternalId, JsonElement Scores);

/// <summary>How many items took the new scores.</summary>
public sealed record ScoresResult(int Updated);

/// <summary>One lease of an item: to whom, when, and the model's scores in force when it was served.</summary>
public sealed record Serving(Guid AssignmentId, string Annotator, DateTime LeasedAt, DateTime? SubmittedAt, bool IsRepeat, JsonElement? Scores);

/// <summary>
/// Replaces model scores while a project runs, so a requester's training job can push new scores as often as it
/// retrains: all items of a request change or none, each while its row is locked, and each item's certainty (the
/// uncertainty-first order) follows in the same transaction, so the next lease already sees it.
/// </summary>
public sealed class ScoreService(VerityDbContext db, SqliteWriteGate gate, Security.Pseudonyms pseudonyms)
{
    /// <summary>The most items one request may score.</summary>
    public const int MaxItems = 10_000;

    public async Task<ScoresResult> UpdateAsync(Project project, ScoresRequest request, CancellationToken cancellationToken = default)
    {
        var entries = request.Items ?? throw ValidationException.For("items", "is required: a list of {externalId, scores}.");
        if (entries.Count is 0 or > MaxItems)
            throw ValidationException.For("items", $"must hold between 1 and {MaxItems:N0} items.");

        using var turn = await gate.EnterAsync(db, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var ids = entries.Select(e => e.ExternalId ?? "").Distinct(StringComparer.Ordinal).ToList();
        var items = new Dictionary<string, Item>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(1_000))
        {
            foreach (var item in await db.Items.Where(i => i.ProjectId == project.Id && chunk.Contains(i.ExternalId)).OrderBy(i => i.Id).ToListAsync(cancellationToken))
                items[item.ExternalId] = item;
        }

        var labels = project.Rubric().Labels;
        var errors = new ErrorList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < entries.Count; index++)
        {
            var (externalId, scores) = (entries[index].ExternalId, entries[index].Scores);
            var path = $"items[{index}]";
            if (externalId is null || !items.TryGetValue(externalId, out var item))
            {
                errors.Add($"{path}.externalId", externalId is null ? "is required." : $"\"{externalId}\" is not an item of this project.");
                continue;
            }

            if (!seen.Add(externalId))
            {
                errors.Add($"{path}.externalId", $"\"{externalId}\" appears twice in this request.");
                continue;
            }

            var problems = new List<string>();
            var json = ModelScores.Parse(scores, [.. item.Responses().Select(r => r.Id), .. labels], "scores", problems);
            foreach (var problem in problems)
                errors.Add(path, problem);
            if (json is null)
                continue;
            // Lock before changing: a submission moving the same item's label must not interleave with this.
            await db.LockItemAsync(item.Id, cancellationToken);
            await db.Entry(item).ReloadAsync(cancellationToken);
            item.ScoresJson = json;
            ItemLabels.Recertify(item);
        }

        errors.ThrowIfAny();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ScoresResult(seen.Count);
    }

    /// <summary>Every lease of one item, oldest first, with the scores that were in force when it was served.</summary>
    public async Task<IReadOnlyList<Serving>> ServingsAsync(Project project, string externalId, CancellationToken cancellationToken = default)
    {
        var itemId = await db.Items.Where(i => i.ProjectId == project.Id && i.ExternalId == externalId).Select(i => (Guid?)i.Id).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException($"Project {project.Id} has no item \"{externalId}\".");
        var rows = await db.Assignments.AsNoTracking()
            .Where(a => a.ItemId == itemId)
            .OrderBy(a => a.Id)
            .Select(a => new { a.Id, a.AnnotatorId, a.LeasedAt, a.SubmittedAt, a.IsRepeat, a.ServedScoresJson })
            .ToListAsync(cancellationToken);
        var pseudonym = await pseudonyms.ForProjectAsync(project.Id, cancellationToken);
        return [.. rows.Select(r => new Serving(
            r.Id, pseudonym(r.AnnotatorId), r.LeasedAt, r.SubmittedAt, r.IsRepeat,
            r.ServedScoresJson is null ? null : JsonSerializer.Deserialize<JsonElement>(r.ServedScoresJson)))];
    }
}
