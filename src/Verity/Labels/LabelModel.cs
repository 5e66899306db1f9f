using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Core.Labels;
using Verity.Core.Projects;
using Verity.Core.Quality;
using Verity.Data;
using Verity.Infrastructure;

namespace Verity.Labels;

/// <summary>
/// What a project's aggregation knows about its annotators, as last computed in the background: each one's weight
/// (trust, or zero when a rule excludes them) and, for fitted methods, their confusion matrix over the project's
/// classes. Annotators who joined since then count with <see cref="Trust.Unknown"/> and the shared matrix.
/// </summary>
/// <param name="suspects">Annotators whose answers count but whose items get another annotator each: those over the
/// project's influence cap.</param>
public sealed class LabelModel(
    string method,
    IReadOnlyDictionary<Guid, double> weights,
    IReadOnlySet<Guid> excluded,
    IReadOnlySet<Guid> suspects,
    IReadOnlyList<string> classes,
    IReadOnlyList<double>? prior,
    IReadOnlyDictionary<Guid, double[]> matrices)
{
    /// <summary>How often an annotator the model knows nothing about is taken to be right.</summary>
    public const double AssumedAccuracy = 0.75;

    /// <summary>A model with no measurements: every annotator weighs <see cref="Trust.Unknown"/>, no matrices.</summary>
    public static LabelModel Unmeasured(string method) => new(method, new Dictionary<Guid, double>(), new HashSet<Guid>(), new HashSet<Guid>(), [], null, new Dictionary<Guid, double[]>());

    /// <summary>The flag of an annotator over the influence cap.</summary>
    public const string CappedFlag = "influence-capped";

    /// <summary>
    /// Whether an answer by this annotator asks the item for another annotator: their answer does not count (excluded),
    /// or they decide too much of a slice (over the influence cap).
    /// </summary>
    public bool NeedsAnother(Guid annotator) => excluded.Contains(annotator) || suspects.Contains(annotator);

    /// <summary>Whether a status (removed, zero-weight, quarantined) says this annotator's labels count for nothing.</summary>
    public static bool Excludes(string status) => status is QualityRules.Removed or QualityRules.ZeroWeight or QualityRules.Quarantined;

    /// <summary>Whether this annotator's answers count at all.</summary>
    public bool Counts(Guid annotator) => !excluded.Contains(annotator);

    /// <summary>The same model with this annotator's answers left out: what the labels would be without them.</summary>
    public LabelModel Excluding(Guid annotator) => new(method, weights, new HashSet<Guid>(excluded) { annotator }, suspects, classes, prior, matrices);

    /// <summary>The same model with this annotator's answers counted at <paramref name="weight"/> (their trust), excluded or not.</summary>
    public LabelModel Counting(Guid annotator, double weight) =>
        new(method, new Dictionary<Guid, double>(weights) { [annotator] = weight }, excluded.Where(a => a != annotator).ToHashSet(), suspects, classes, prior, matrices);

    /// <summary>
    /// How much an answer counts: nothing when a rule excludes its annotator; otherwise their trust when the method
    /// weighs by trust, and 1 for the other methods (fitted methods weigh through the annotator's matrix instead).
    /// </summary>
    public double VoteWeight(Guid annotator) =>
        excluded.Contains(annotator) ? 0
        : method == AggregationMethods.TrustWeighted ? weights.GetValueOrDefault(annotator, Trust.Unknown)
        : 1;

    /// <summary>
    /// The live label of one item from its counted single-label answers. Fitted methods use each annotator's matrix
    /// when every answer is a class the fit has seen, and the shared model otherwise.
    /// </summary>
    public LiveLabel? Decide(IReadOnlyList<(Guid Annotator, string Class)> answers, int classCount, DynamicOverlap policy)
    {
        if (answers.Count == 0)
            return null;
        var fitted = prior is not null && answers.All(a => classes.Contains(a.Class, StringComparer.Ordinal));
        var names = fitted ? [.. classes] : answers.Select(a => a.Class).Distinct(StringComparer.Ordinal).ToList();
        var k = fitted ? names.Count : Math.Max(Math.Max(classCount, names.Count), 2);
        // Classes nobody chose pad the shared model; with no votes they never lead.
        while (names.Count < k)
            names.Add("");
        var labels = answers.Select(a => names.IndexOf(a.Class)).ToList();
        var workers = Enumerable.Range(0, answers.Count).ToList();
        var model = method switch
        {
            AggregationMethods.DawidSkene or AggregationMethods.Mace when fitted =>
                WorkerModel.FromMatrices(prior!, AssumedAccuracy, [.. answers.Select(a => matrices.GetValueOrDefault(a.Annotator))]),
            AggregationMethods.TrustWeighted => WorkerModel.Weighted(k, AssumedAccuracy, [.. answers.Select(a => VoteWeight(a.Annotator))]),
            _ => WorkerModel.Shared(k, AssumedAccuracy),
        };
        return LiveLabels.Decide(workers, labels, names, model, policy);
    }

    /// <summary>The project's stored model, reading only the given annotators' rows (an item's, on the submission path), or everyone's.</summary>
    public static async Task<LabelModel> LoadAsync(VerityDbContext db, Project project, IReadOnlyCollection<Guid>? annotators, CancellationToken cancellationToken)
    {
        var stored = await db.ProjectQuality.AsNoTracking().FirstOrDefaultAsync(q => q.ProjectId == project.Id, cancellationToken);
        if (stored is null)
            return Unmeasured(project.Aggregation);
        var rows = await db.AnnotatorQuality.AsNoTracking()
            .Where(q => q.ProjectId == project.Id && (annotators == null || annotators.Contains(q.AnnotatorId)))
            .Select(q => new { q.AnnotatorId, q.Weight, q.Status, q.MatrixJson, Capped = q.ReportJson.Contains("\"" + CappedFlag + "\"") })
            .ToListAsync(cancellationToken);
        return new LabelModel(
            project.Aggregation,
            rows.ToDictionary(r => r.AnnotatorId, r => r.Weight),
            rows.Where(r => Excludes(r.Status)).Select(r => r.AnnotatorId).ToHashSet(),
            rows.Where(r => r.Capped).Select(r => r.AnnotatorId).ToHashSet(),
            stored.ClassesJson is null ? [] : JsonSerializer.Deserialize<List<string>>(stored.ClassesJson, Json.Options)!,
            stored.PriorJson is null ? null : JsonSerializer.Deserialize<List<double>>(stored.PriorJson, Json.Options),
            rows.Where(r => r.MatrixJson is not null).ToDictionary(r => r.AnnotatorId, r => JsonSerializer.Deserialize<double[]>(r.MatrixJson!, Json.Options)!));
    }
}
