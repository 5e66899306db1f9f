using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Verity.Core;
using Verity.Core.Quality;
using Verity.Data;
using Verity.Infrastructure;
using Verity.Quality;

namespace Verity.Work.Pages;

/// <summary>A gold item the annotator did not fully match: their own answer, the expected one and why.</summary>
public sealed record GoldMiss(string Prompt, string Given, string Expected, double Score, string? Explanation);

/// <summary>
/// An annotator's own quality in one project: standing, consistency and, when the project gives gold feedback, gold
/// accuracy and the gold items they missed, counting only gold answered before the reveal delay (so no answer can be
/// tied to its verdict while the annotator could still use it). Only the annotator's own answers are read.
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
        // An assessment's measures would say which answers were wrong; its result is on the home page instead.
        Project = await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == projectId && p.Purpose == Core.Workforce.Purposes.Work, cancellationToken)
            ?? throw new NotFoundException($"Project {projectId} does not exist.");
        var me = User.UserId();
        Standing = await standings.AsSeenByAnnotatorAsync(Project, me, cancellationToken);

        var mine = await db.LatestAnnotations.AsNoTracking()
            .Where(a => a.ProjectId == projectId && a.AnnotatorId == me)
            .Join(db.Assignments, a => a.AssignmentId, s => s.Id, (a, s) => new { a.Id, a.ItemId, a.AnswerJson, a.GoldScore, a.CreatedAt, s.IsRepeat })
            .OrderBy(a => a.Id)
            .ToListAsync(cancellationToken);
        var revealedBefore = standings.GoldRevealedBefore();
        var revealed = Project.GoldFeedback ? mine.Where(a => a.GoldScore is not null && a.CreatedAt <= revealedBefore).ToList() : [];
        var scores = revealed.Select(a => a.GoldScore!.Value).ToList();
        Gold = scores.Count == 0 ? null : GoldAccuracy.Estimate(scores);

        var kind = Project.TaskKind();
        Consistency = SelfConsistency.Measure(mine.Where(a => a.IsRepeat)
            .Select(r => (First: mine.FirstOrDefault(f => !f.IsRepeat && f.ItemId == r.ItemId), Repeat: r))
            .Where(p => p.First is not null)
            .Select(p => (kind.ParseAnswer(p.First!.AnswerJson), kind.ParseAnswer(p.Repeat.AnswerJson))), kind.Score);

        var missed = revealed.Where(a => a.GoldScore < 1).ToList();
        var missedIds = missed.Select(a => a.ItemId).ToList();
        var items = await db.Items.AsNoTracking()
            .Where(i => missedIds.Contains(i.Id))
            .Select(i => new { i.Id, i.Prompt, i.GoldJson, i.GoldExplanation })
            .ToDictionaryAsync(i => i.Id, cancellationToken);
        Misses = missed.Select(a => new GoldMiss(
            items[a.ItemId].Prompt,
            kind.DescribeAnswer(kind.ParseAnswer(a.AnswerJson)),
            items[a.ItemId].GoldJson is { } gold ? kind.DescribeAnswer(kind.ParseAnswer(gold)) : "",
            a.GoldScore!.Value,
            items[a.ItemId].GoldExplanation)).ToList();
    }
}
