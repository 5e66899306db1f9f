using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Verity.Core;
using Verity.Core.Quality;
using Verity.Core.Work;
using Verity.Data;
using Verity.Infrastructure;
using Verity.Quality;

namespace Verity.Work.Pages;

/// <summary>A gold item the annotator did not fully match: their own answer, the expected one and why.</summary>
public sealed record GoldMiss(string Prompt, string Given, string Expected, double Score, string? Explanation);

/// <summary>
/// An annotator's own quality in one project: standing, gold accuracy, consistency and the gold items they missed.
/// Only the annotator's own answers are read, never anyone else's.
/// </summary>
[Authorize(Policy = Policies.Annotate)]
public sealed class MeModel(VerityDbContext db, Standings standings) : PageModel
{
    public Project Project { get; private set; } = null!;
    public Standing Standing { get; private set; } = null!;
    public GoldAccuracy? Gold { get; private set; }
    public SelfConsistency Consistency { get; private set; } = new(0, 0);
    public IReadOnlyList<GoldMiss> Misses { get; private set; } = [];

    public async Task OnGetAsync(Guid projectId, CancellationToken cancellationToken)
    {
        Project = await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == projectId, cancellationToken)
            ?? throw new NotFoundException($"Project {projectId} does not exist.");
        var me = User.UserId();
        Standing = await standings.ForAsync(Project, me, cancellationToken);

        var mine = await db.Annotations.AsNoTracking()
            .Where(a => a.ProjectId == projectId && a.AnnotatorId == me)
            .Join(db.Assignments, a => a.AssignmentId, s => s.Id, (a, s) => new { a.Id, a.ItemId, a.AnswerJson, a.GoldScore, s.IsRepeat })
            .OrderBy(a => a.Id)
            .ToListAsync(cancellationToken);
        var scores = mine.Where(a => a.GoldScore is not null).Select(a => a.GoldScore!.Value).ToList();
        Gold = scores.Count == 0 ? null : GoldAccuracy.Estimate(scores);

        var type = StoredAnswers.For(Project.Kind);
        object Answer(string json) => JsonSerializer.Deserialize(json, type, Json.Options)!;
        Consistency = SelfConsistency.Measure(mine.Where(a => a.IsRepeat)
            .Select(r => (First: mine.FirstOrDefault(f => !f.IsRepeat && f.ItemId == r.ItemId), Repeat: r))
            .Where(p => p.First is not null)
            .Select(p => (Answer(p.First!.AnswerJson), Answer(p.Repeat.AnswerJson))));

        var missed = mine.Where(a => a.GoldScore < 1).ToList();
        var missedIds = missed.Select(a => a.ItemId).ToList();
        var items = await db.Items.AsNoTracking()
            .Where(i => missedIds.Contains(i.Id))
            .Select(i => new { i.Id, i.Prompt, i.GoldJson, i.GoldExplanation })
            .ToDictionaryAsync(i => i.Id, cancellationToken);
        Misses = missed.Select(a => new GoldMiss(
            items[a.ItemId].Prompt,
            Describe(Answer(a.AnswerJson)),
            items[a.ItemId].GoldJson is { } gold ? Describe(Answer(gold)) : "",
            a.GoldScore!.Value,
            items[a.ItemId].GoldExplanation)).ToList();
    }

    /// <summary>An answer in words, the same way for the annotator's and the expected one.</summary>
    private static string Describe(object answer) => answer switch
    {
        PairwiseAnswer p => p.Choice == PairwiseAnswer.Tie ? "a tie" : $"response {p.Choice}",
        ClassificationAnswer c => string.Join(", ", c.Other is null ? c.Labels : [.. c.Labels, $"other: {c.Other}"]),
        RatingAnswer r => string.Join(", ", r.Scores.Select(s => $"{s.Key} {(s.Value is { } v ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : "N/A")}")),
        RankingAnswer k => string.Join(" > ", k.Ranks.OrderBy(x => x.Value).Select(x => x.Key)),
        _ => "",
    };
}
