using Microsoft.EntityFrameworkCore;
using Verity.Data;

namespace Verity.LoadBench;

/// <summary>The assignment rules, checked on the stored rows after the run.</summary>
internal static class RuleCheck
{
    public static async Task<List<(string Rule, bool Holds, string Detail)>> RunAsync(
        DatabaseTarget database, Guid projectId, int overlap, int acceptedSubmissions)
    {
        await using var db = database.CreateContext();
        var items = await db.Items.AsNoTracking().Where(i => i.ProjectId == projectId)
            .Select(i => new { i.Id, i.SubmittedCount }).ToListAsync();
        var annotations = await db.Annotations.AsNoTracking().Where(a => a.ProjectId == projectId)
            .Select(a => new { a.ItemId, a.AnnotatorId }).ToListAsync();
        var assignments = await db.Assignments.AsNoTracking().Where(a => a.ProjectId == projectId)
            .Select(a => new { a.ItemId, a.AnnotatorId, a.SubmittedAt }).ToListAsync();

        var perItem = annotations.GroupBy(a => a.ItemId).ToDictionary(g => g.Key, g => g.Count());
        var wrongCount = items.Count(i => perItem.GetValueOrDefault(i.Id) != overlap);
        var wrongCounter = items.Count(i => i.SubmittedCount != perItem.GetValueOrDefault(i.Id));
        var twiceLabelled = annotations.GroupBy(a => (a.ItemId, a.AnnotatorId)).Count(g => g.Count() > 1);
        var twiceLeased = assignments.GroupBy(a => (a.ItemId, a.AnnotatorId)).Count(g => g.Count() > 1);
        var open = assignments.Count(a => a.SubmittedAt is null);

        return
        [
            ($"every item has exactly {overlap} annotations", wrongCount == 0, $"{items.Count - wrongCount}/{items.Count} items"),
            ("no annotator labelled an item twice", twiceLabelled == 0, $"{twiceLabelled} repeated (item, annotator) pairs"),
            ("no annotator was leased an item twice", twiceLeased == 0, $"{twiceLeased} repeated (item, annotator) pairs"),
            ("every accepted submission is stored once", annotations.Count == acceptedSubmissions,
                $"{annotations.Count} stored, {acceptedSubmissions} accepted"),
            ("items' submitted counts match their annotations", wrongCounter == 0, $"{wrongCounter} items differ"),
            ("no lease is left open", open == 0, $"{open} open"),
        ];
    }
}
