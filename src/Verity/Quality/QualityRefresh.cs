using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Verity.Core.Projects;
using Verity.Core.Quality;
using Verity.Data;
using Verity.Infrastructure;
using Verity.Labels;

namespace Verity.Quality;

/// <summary>Settings of the background recomputation.</summary>
public sealed class QualityOptions
{
    /// <summary>How often projects whose annotations changed are measured again; 0 turns the background pass off.</summary>
    [Range(0, 24 * 60 * 60)]
    public int RefreshSeconds { get; set; } = 10;
}

/// <summary>
/// What is kept between recomputations in this process: the quality page's project summary, for projects whose page
/// was opened, and one lock per project so two recomputations of the same project do not interleave.
/// </summary>
public sealed class QualityCache
{
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _locks = new();

    /// <summary>
    /// Each project's dashboard summary with the stamp of the stored measures it was computed after. A reader uses it
    /// only while the stored stamp is the same, so a refresh on another node is never hidden behind this one's copy.
    /// </summary>
    public ConcurrentDictionary<Guid, (string Stamp, QualitySummary Summary)> Summaries { get; } = new();

    public async Task<IDisposable> LockAsync(Guid projectId, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(projectId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        return new Release(gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}

/// <summary>
/// Measures a project's annotators, fits its annotator model, stores both, and brings every item's live label up to
/// date with them. Everything here reads all of a project's annotations, so it runs in the background and on an
/// owner's explicit request, never on the submission path; the submission path reads what it stored.
/// </summary>
public sealed class QualityRefresh(
    VerityDbContext db, AnnotatorReports reports, QualityDashboard dashboard, SqliteWriteGate gate, TimeProvider clock, QualityCache cache, Workforce.TierReview tiers)
{
    private const int ItemsPerTransaction = 500;

    /// <summary>Recomputes the project's measures when an annotation, review, restoration or quarantine was added since the last time.</summary>
    public async Task RefreshIfStaleAsync(Project project, CancellationToken cancellationToken = default)
    {
        using var _ = await cache.LockAsync(project.Id, cancellationToken);
        await using var __ = await NodesLockAsync(project.Id, cancellationToken);
        var stamp = await StampAsync(project.Id, cancellationToken);
        if (await StoredStampAsync(project.Id, cancellationToken) != stamp)
            await RefreshAsync(project, stamp, cancellationToken);
    }

    /// <summary>The stamp (annotations, reviews, decisions) the stored measures were computed at, or null if never.</summary>
    public Task<string?> StoredStampAsync(Guid projectId, CancellationToken cancellationToken = default) =>
        db.ProjectQuality.AsNoTracking().Where(q => q.ProjectId == projectId).Select(q => q.Stamp).FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// On PostgreSQL several nodes may serve one database: a session advisory lock per project lets one node measure it
    /// at a time (the others wait, then find it fresh). SQLite has one node, which the process lock already covers.
    /// </summary>
    private async Task<IAsyncDisposable> NodesLockAsync(Guid projectId, CancellationToken cancellationToken)
    {
        if (db.Provider != DatabaseProvider.Postgres)
            return NoLock.Instance;
        var key = BitConverter.ToInt32(projectId.ToByteArray(), 0);
        await db.Database.OpenConnectionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({AdvisoryLockSpace}, {key})", cancellationToken);
        return new AdvisoryUnlock(db, key);
    }

    // The first key of a two-key advisory lock names what is locked, so other users of advisory locks cannot collide;
    // two projects whose ids share the second key only take turns.
    private const int AdvisoryLockSpace = 0x56526631; // "VRf1": Verity, quality refresh

    private sealed class AdvisoryUnlock(VerityDbContext db, int key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({AdvisoryLockSpace}, {key})");
            await db.Database.CloseConnectionAsync();
        }
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>The stored annotator reports, by pseudonym.</summary>
    public async Task<IReadOnlyList<AnnotatorReport>> ReportsAsync(Guid projectId, CancellationToken cancellationToken = default)
    {
        var rows = await db.AnnotatorQuality.AsNoTracking().Where(q => q.ProjectId == projectId).Select(q => q.ReportJson).ToListAsync(cancellationToken);
        return [.. rows.Select(r => JsonSerializer.Deserialize<AnnotatorReport>(r, Json.Options)!).OrderBy(r => r.Annotator, StringComparer.Ordinal)];
    }

    /// <summary>When the stored measures were computed, or null if never.</summary>
    public Task<DateTime?> ComputedAtAsync(Guid projectId, CancellationToken cancellationToken = default) =>
        db.ProjectQuality.AsNoTracking().Where(q => q.ProjectId == projectId).Select(q => (DateTime?)q.ComputedAt).FirstOrDefaultAsync(cancellationToken);

    private async Task<string> StampAsync(Guid projectId, CancellationToken cancellationToken)
    {
        var annotations = await db.Annotations.CountAsync(a => a.ProjectId == projectId, cancellationToken);
        var reviews = await db.Reviews.CountAsync(r => r.ProjectId == projectId, cancellationToken);
        // Restorations and quarantines are the owner's decisions; either changes who counts.
        var decisions = await db.Restorations.CountAsync(r => r.ProjectId == projectId, cancellationToken)
            + await db.Quarantines.CountAsync(q => q.ProjectId == projectId, cancellationToken);
        return string.Create(CultureInfo.InvariantCulture, $"{annotations}:{reviews}:{decisions}");
    }

    private async Task RefreshAsync(Project project, string stamp, CancellationToken cancellationToken)
    {
        var (measured, recheck) = await reports.ForProjectAsync(project, cancellationToken);
        var excluded = measured.Where(m => LabelModel.Excludes(m.Report.Status)).Select(m => m.AnnotatorId).ToHashSet();
        var weights = measured.ToDictionary(m => m.AnnotatorId, m => excluded.Contains(m.AnnotatorId) ? 0 : m.Report.Trust);
        var items = await db.Items.AsNoTracking().Where(i => i.ProjectId == project.Id && !i.IsGold).OrderBy(i => i.Id).ToListAsync(cancellationToken);
        var answers = (await db.LatestAnnotations.AsNoTracking()
                .Where(a => a.ProjectId == project.Id && !db.Assignments.Any(s => s.Id == a.AssignmentId && (s.Rejected || s.IsRepeat)))
                .Select(a => new { a.Id, a.ItemId, a.AnnotatorId, a.AnswerJson })
                .ToListAsync(cancellationToken))
            .OrderBy(a => a.Id)
            .ToLookup(a => a.ItemId, a => new ItemAnswer(a.AnnotatorId, a.AnswerJson));
        var rubric = project.Rubric();
        var (classes, prior, matrices, fitted) = Fit(project, rubric, items, answers, excluded);

        using (await gate.EnterAsync(db, cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.AnnotatorQuality.Where(q => q.ProjectId == project.Id).ExecuteDeleteAsync(cancellationToken);
            await db.ProjectQuality.Where(q => q.ProjectId == project.Id).ExecuteDeleteAsync(cancellationToken);
            db.AnnotatorQuality.AddRange(measured.Select(m => new AnnotatorQuality
            {
                ProjectId = project.Id,
                AnnotatorId = m.AnnotatorId,
                Weight = weights[m.AnnotatorId],
                Status = m.Report.Status,
                MatrixJson = matrices.TryGetValue(m.AnnotatorId, out var matrix) ? JsonSerializer.Serialize(matrix.Select(c => Math.Round(c, 6)), Json.Options) : null,
                ReportJson = JsonSerializer.Serialize(m.Report, Json.Options),
            }));
            db.ProjectQuality.Add(new ProjectQuality
            {
                ProjectId = project.Id,
                Stamp = stamp,
                ClassesJson = prior is null ? null : JsonSerializer.Serialize(classes, Json.Options),
                PriorJson = prior is null ? null : JsonSerializer.Serialize(prior, Json.Options),
                ComputedAt = clock.GetUtcNow().UtcDateTime,
            });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }

        // Stored matrices are rounded; relabel with what the submission path will read, so both give the same label.
        var capped = measured.Where(m => m.Report.Flags.Any(f => f.Name == LabelModel.CappedFlag)).Select(m => m.AnnotatorId).ToHashSet();
        var model = new LabelModel(project.Aggregation, weights, excluded, capped, classes, prior,
            matrices.ToDictionary(m => m.Key, m => m.Value.Select(c => Math.Round(c, 6)).ToArray()));
        foreach (var chunk in items.Chunk(ItemsPerTransaction))
            await RelabelAsync(project, rubric, chunk, answers, model, fitted, recheck, cancellationToken);
        if (cache.Summaries.ContainsKey(project.Id))
            cache.Summaries[project.Id] = (stamp, await dashboard.ForProjectAsync(project, cancellationToken));

        // Standings changed, so tiers may: the people who worked here are judged again in the project's tracks.
        await tiers.ReviewAsync(project, cancellationToken);
    }

    /// <summary>
    /// For fitted methods, the annotator model over every counted single-label answer: its classes, prior and each
    /// annotator's matrix, and the fit's own label and posterior for each item it covered. Nothing for other methods
    /// or before any item has two answers.
    /// </summary>
    private static (IReadOnlyList<string> Classes, IReadOnlyList<double>? Prior, Dictionary<Guid, double[]> Matrices, Dictionary<Guid, FittedLabel> Labels) Fit(
        Project project, Rubric rubric, List<Item> items, ILookup<Guid, ItemAnswer> answers, HashSet<Guid> excluded)
    {
        var none = (Array.Empty<string>(), (IReadOnlyList<double>?)null, new Dictionary<Guid, double[]>(), new Dictionary<Guid, FittedLabel>());
        Func<CategoricalLabels, CategoricalResult>? fit = project.Aggregation switch
        {
            AggregationMethods.DawidSkene => data => DawidSkene.Run(data, new AggregationOptions(Seed: 1)),
            AggregationMethods.Mace => data => Mace.Run(data, new AggregationOptions(Seed: 1)),
            _ => null,
        };
        var kind = project.TaskKind();
        if (fit is null || !kind.SingleLabel(rubric))
            return none;
        var data = CategoricalLabels.FromTriples(items.SelectMany(item =>
        {
            var ids = ItemLabels.ResponseIds(item);
            return answers[item.Id]
                .Where(a => !excluded.Contains(a.Annotator))
                .Select(a => (item.Id.ToString(), a.Annotator.ToString(), ItemLabels.ModelClass(kind, ids, a.AnswerJson)));
        }));
        if (data.ClassCount < 2)
            return none;
        var (model, compared, result) = DynamicOverlap.FitModel(data, fit, LabelModel.AssumedAccuracy, priorLabels: 4);
        if (result is null)
            return none;
        var matrices = new Dictionary<Guid, double[]>();
        for (var w = 0; w < data.WorkerCount; w++)
        {
            if (model.Matrix(w) is { } matrix)
                matrices[Guid.Parse(data.WorkerNames[w])] = matrix;
        }

        // The fit weighs each answer by everything its annotator did across the project; the per-item matrices are
        // shrunk towards the shared accuracy and lose some of that, so fitted items take the fit's own posterior.
        var labels = new Dictionary<Guid, FittedLabel>();
        for (var i = 0; i < compared.ItemCount; i++)
        {
            if (compared.LabelCount(i) > 0)
                labels[Guid.Parse(compared.ItemNames[i])] = new FittedLabel(compared.ClassNames[result.Labels[i]], result.Confidence[i]);
        }

        return (data.ClassNames, model.Prior, matrices, labels);
    }

    /// <summary>
    /// Writes the labels (and rechecks) that changed. An item whose count of submissions moved since it was read is left
    /// alone: the submission that moved it set its label under the same model.
    /// </summary>
    private async Task RelabelAsync(
        Project project, Rubric rubric, Item[] items, ILookup<Guid, ItemAnswer> answers, LabelModel model, Dictionary<Guid, FittedLabel> fitted,
        IReadOnlySet<Guid> recheck, CancellationToken cancellationToken)
    {
        var changed = items.Where(item =>
        {
            var moved = item.Recheck != recheck.Contains(item.Id);
            item.Recheck = recheck.Contains(item.Id);
            return ItemLabels.Apply(project, rubric, item, [.. answers[item.Id]], model, fitted.GetValueOrDefault(item.Id)) || moved;
        }).ToList();
        if (changed.Count == 0)
            return;
        using (await gate.EnterAsync(db, cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var item in changed)
            {
                await db.Items.Where(i => i.Id == item.Id && i.SubmittedCount == item.SubmittedCount)
                    .ExecuteUpdateAsync(set => set
                        .SetProperty(i => i.Label, item.Label)
                        .SetProperty(i => i.Confidence, item.Confidence)
                        .SetProperty(i => i.TargetOverlap, item.TargetOverlap)
                        .SetProperty(i => i.Certainty, item.Certainty)
                        .SetProperty(i => i.Recheck, item.Recheck), cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
    }
}

/// <summary>Measures every project whose annotations changed, every <see cref="QualityOptions.RefreshSeconds"/>.</summary>
public sealed class QualityRefresher(IServiceScopeFactory scopes, IOptions<QualityOptions> options, VerityMetrics metrics, ILogger<QualityRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.RefreshSeconds <= 0)
            return;
        // Wall-clock time on purpose: the application's TimeProvider may be a test clock that never moves by itself.
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.RefreshSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RefreshAllAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A failed pass (the database restarting, say) must not stop the service; the next tick tries again.
                logger.LogError(e, "Measuring projects failed");
            }
        }
    }

    private async Task RefreshAllAsync(CancellationToken cancellationToken)
    {
        List<Guid> projectIds;
        using (var scope = scopes.CreateScope())
            projectIds = await scope.ServiceProvider.GetRequiredService<VerityDbContext>().Projects.Select(p => p.Id).ToListAsync(cancellationToken);
        foreach (var id in projectIds)
        {
            // A scope per project, so one project's tracked rows are gone before the next.
            using var scope = scopes.CreateScope();
            var project = await scope.ServiceProvider.GetRequiredService<VerityDbContext>().Projects.AsNoTracking().SingleAsync(p => p.Id == id, cancellationToken);
            var started = Stopwatch.GetTimestamp();
            await scope.ServiceProvider.GetRequiredService<QualityRefresh>().RefreshIfStaleAsync(project, cancellationToken);
            metrics.Refreshed(Stopwatch.GetElapsedTime(started));
        }
    }
}
