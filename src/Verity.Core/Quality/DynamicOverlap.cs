namespace Verity.Core.Quality;

/// <summary>What to do with an item after its latest annotation.</summary>
public enum OverlapDecision
{
    /// <summary>Not confident yet and below the maximum: give the item to another annotator.</summary>
    Continue,

    /// <summary>The leading label is confident enough (and the minimum is met): stop.</summary>
    Stop,

    /// <summary>The maximum is reached without the target confidence: stop, and the label stays uncertain.</summary>
    Exhausted,
}

/// <summary>Which annotator model the confidence of an item is computed under.</summary>
public enum OverlapModel
{
    /// <summary>
    /// Every annotator is right with the same assumed accuracy, errors spread evenly over the other
    /// classes, classes equally likely a priori. The leading class is then the majority class, and
    /// its confidence depends only on the vote counts.
    /// </summary>
    SharedAccuracy,

    /// <summary>
    /// Each annotator has a confusion matrix estimated from the labels seen so far (from a
    /// Dawid–Skene fit), shrunk towards the shared accuracy, so new annotators count as average ones.
    /// </summary>
    WorkerConfusion,
}

/// <summary>Settings of <see cref="DynamicOverlap"/>.</summary>
/// <param name="MinAnnotations">Never stop before this many annotations (at least 1).</param>
/// <param name="MaxAnnotations">Never ask for more than this many; <see cref="int.MaxValue"/> for no maximum.</param>
/// <param name="TargetConfidence">Stop once the leading label's posterior reaches this; 1 never stops early.</param>
/// <param name="Model">The annotator model the posterior is computed under.</param>
/// <param name="AssumedAccuracy">How often an annotator with no history is right (above chance, below 1).</param>
/// <param name="PriorLabels">
/// For <see cref="OverlapModel.WorkerConfusion"/>: how many labels' worth of weight the shared accuracy
/// gets in each annotator's confusion matrix, so a few lucky labels do not make anyone look perfect.
/// </param>
public sealed record DynamicOverlapOptions(
    int MinAnnotations = 2,
    int MaxAnnotations = 5,
    double TargetConfidence = 0.95,
    OverlapModel Model = OverlapModel.SharedAccuracy,
    double AssumedAccuracy = 0.75,
    double PriorLabels = 4);

/// <summary>
/// Annotator model for <see cref="DynamicOverlap"/>: a class prior and, per annotator, the log
/// probability of each given label under each true class. Annotators beyond the fitted ones
/// (joined since the last estimate) get the shared matrix.
/// </summary>
public sealed class WorkerModel
{
    private readonly double[] _logPrior;
    private readonly double[] _logShared;
    private readonly double[] _logConfusion;

    private WorkerModel(double[] logPrior, double[] logShared, double[] logConfusion)
    {
        _logPrior = logPrior;
        _logShared = logShared;
        _logConfusion = logConfusion;
    }

    /// <summary>Number of classes.</summary>
    public int ClassCount => _logPrior.Length;

    /// <summary>Everyone right with probability <paramref name="accuracy"/>, errors spread evenly, uniform class prior.</summary>
    public static WorkerModel Shared(int classCount, double accuracy)
    {
        var shared = SharedMatrix(classCount, accuracy);
        return new WorkerModel(Logs(Enumerable.Repeat(1.0 / classCount, classCount).ToArray()), Logs(shared), []);
    }

    /// <summary>
    /// Per-annotator confusion matrices from a fit's item posteriors: annotator w's row for true
    /// class t is the posterior mass of t over the labels w gave, plus <paramref name="priorLabels"/>
    /// labels distributed as the shared matrix. The class prior is the mean posterior, with one
    /// pseudo-item spread evenly so no class gets probability zero.
    /// </summary>
    /// <param name="data">The labels the fit was run on.</param>
    /// <param name="fit">A result whose <see cref="CategoricalResult.Posteriors"/> are over <paramref name="data"/>'s items (e.g. Dawid–Skene).</param>
    /// <param name="accuracy">The shared accuracy the matrices are shrunk towards.</param>
    /// <param name="priorLabels">Weight of the shared matrix, in labels.</param>
    public static WorkerModel Estimate(CategoricalLabels data, CategoricalResult fit, double accuracy, double priorLabels)
    {
        var k = data.ClassCount;
        if (fit.Posteriors.Length != data.ItemCount * k)
            throw new ArgumentException("the fit does not match the data", nameof(fit));
        var shared = SharedMatrix(k, accuracy);

        // counts[(w * K + true) * K + given]
        var counts = new double[data.WorkerCount * k * k];
        for (var a = 0; a < data.Count; a++)
        {
            var (i, w, g) = (data.ItemOf[a], data.WorkerOf[a], data.LabelOf[a]);
            for (var t = 0; t < k; t++)
                counts[(w * k + t) * k + g] += fit.Posteriors[i * k + t];
        }

        for (var row = 0; row < counts.Length; row += k)
        {
            var cells = counts.AsSpan(row, k);
            var total = 0.0;
            foreach (var c in cells)
                total += c;
            var t = row / k % k;
            for (var g = 0; g < k; g++)
                cells[g] = Math.Log((cells[g] + priorLabels * shared[t * k + g]) / (total + priorLabels));
        }

        var prior = new double[k];
        Array.Fill(prior, 1.0 / k);
        for (var j = 0; j < fit.Posteriors.Length; j++)
            prior[j % k] += fit.Posteriors[j];
        Posterior.Normalize(prior);
        return new WorkerModel(Logs(prior), Logs(shared), counts);
    }

    /// <summary>
    /// A model from stored per-annotator matrices (row-major, true class by given class, each row summing to 1), as
    /// <see cref="Matrix"/> returned them; a null matrix stands for the shared one.
    /// </summary>
    /// <param name="prior">The class prior, summing to 1.</param>
    /// <param name="accuracy">The shared accuracy for annotators without a matrix.</param>
    /// <param name="matrices">One matrix, or null, per annotator index.</param>
    public static WorkerModel FromMatrices(IReadOnlyList<double> prior, double accuracy, IReadOnlyList<double[]?> matrices)
    {
        var k = prior.Count;
        var shared = SharedMatrix(k, accuracy);
        var confusion = new double[matrices.Count * k * k];
        for (var w = 0; w < matrices.Count; w++)
        {
            var matrix = matrices[w] ?? shared;
            if (matrix.Length != k * k)
                throw new ArgumentException($"annotator {w} has a matrix of {matrix.Length} cells; {k * k} are needed", nameof(matrices));
            for (var c = 0; c < matrix.Length; c++)
                confusion[(w * k * k) + c] = Math.Log(matrix[c]);
        }

        return new WorkerModel(Logs([.. prior]), Logs(shared), confusion);
    }

    /// <summary>
    /// The shared model with each annotator's evidence scaled by a weight: a label of an annotator weighing w moves
    /// the odds by the shared ratio to the power w, so weight 1 is a full vote and weight 0 none. With equal weights
    /// the leading class is the weighted-majority class.
    /// </summary>
    /// <param name="classCount">Number of classes.</param>
    /// <param name="accuracy">The shared accuracy of a full vote.</param>
    /// <param name="weights">A weight in [0,1] per annotator index.</param>
    public static WorkerModel Weighted(int classCount, double accuracy, IReadOnlyList<double> weights)
    {
        var logShared = Logs(SharedMatrix(classCount, accuracy));
        var cells = classCount * classCount;
        var confusion = new double[weights.Count * cells];
        for (var w = 0; w < weights.Count; w++)
        {
            if (!(weights[w] is >= 0 and <= 1))
                throw new ArgumentOutOfRangeException(nameof(weights), weights[w], "weights must be in [0,1]");
            for (var c = 0; c < cells; c++)
                confusion[(w * cells) + c] = weights[w] * logShared[c];
        }

        return new WorkerModel(Logs(Enumerable.Repeat(1.0 / classCount, classCount).ToArray()), logShared, confusion);
    }

    /// <summary>The class prior, as probabilities.</summary>
    public IReadOnlyList<double> Prior => [.. _logPrior.Select(Math.Exp)];

    /// <summary>
    /// Annotator <paramref name="worker"/>'s matrix as probabilities (row-major, true class by given class), or null
    /// when the annotator has none of their own. For a <see cref="Weighted"/> model the cells are the scaled
    /// likelihoods, whose rows do not sum to 1.
    /// </summary>
    public double[]? Matrix(int worker)
    {
        var cells = ClassCount * ClassCount;
        return worker >= 0 && worker < _logConfusion.Length / cells
            ? [.. _logConfusion.AsSpan(worker * cells, cells).ToArray().Select(Math.Exp)]
            : null;
    }

    /// <summary>Log prior of class <paramref name="trueClass"/>.</summary>
    internal double LogPrior(int trueClass) => _logPrior[trueClass];

    /// <summary>Log probability that <paramref name="worker"/> gives <paramref name="given"/> when the truth is <paramref name="trueClass"/>.</summary>
    internal double LogLikelihood(int worker, int trueClass, int given)
    {
        var cells = ClassCount * ClassCount;
        var cell = (trueClass * ClassCount) + given;
        return worker >= 0 && worker < _logConfusion.Length / cells ? _logConfusion[(worker * cells) + cell] : _logShared[cell];
    }

    private static double[] SharedMatrix(int classCount, double accuracy)
    {
        if (classCount < 2)
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "at least two classes are needed");
        if (!(accuracy > 1.0 / classCount && accuracy < 1))
            throw new ArgumentOutOfRangeException(nameof(accuracy), accuracy, "accuracy must be above chance and below 1");
        var matrix = new double[classCount * classCount];
        for (var t = 0; t < classCount; t++)
        {
            for (var g = 0; g < classCount; g++)
                matrix[t * classCount + g] = t == g ? accuracy : (1 - accuracy) / (classCount - 1);
        }

        return matrix;
    }

    private static double[] Logs(double[] values) => [.. values.Select(v => Math.Log(v))];
}

/// <summary>A fitted annotator model with the labels it was fitted on and the fit itself (null when nothing could be fitted).</summary>
/// <param name="Model">The per-annotator matrices, indexed like <paramref name="Compared"/>.</param>
/// <param name="Compared">The labels fitted: those of items with two labels or more, same item, annotator and class tables as the input.</param>
/// <param name="Fit">The aggregation's result over <paramref name="Compared"/>; items without labels there have no meaningful posterior.</param>
public sealed record FittedModel(WorkerModel Model, CategoricalLabels Compared, CategoricalResult? Fit);

/// <summary>
/// Dynamic overlap: after each annotation of an item, decide whether it needs another one.
/// The confidence is the posterior probability of the leading class given the item's labels
/// under a <see cref="WorkerModel"/>; the item stops once that reaches the target (and the
/// minimum is met), and is exhausted at the maximum. A decision costs one pass over the item's
/// labels times the number of classes, so it can run on every submission.
/// </summary>
/// <remarks>
/// Under <see cref="WorkerModel.Shared"/> with two classes and accuracy p, the confidence of a lead
/// of d votes is r^d / (r^d + 1) with r = p / (1 − p): the classic sequential rule "stop when one
/// label leads by d". With p = 0.75, a lead of 2 gives 0.9 and a lead of 3 gives 0.964.
/// </remarks>
public sealed class DynamicOverlap
{
    private readonly DynamicOverlapOptions _options;

    /// <summary>Checks and keeps the options.</summary>
    public DynamicOverlap(DynamicOverlapOptions options)
    {
        if (options.MinAnnotations < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.MinAnnotations, "at least one annotation is needed");
        if (options.MaxAnnotations < options.MinAnnotations)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxAnnotations, "the maximum must be at least the minimum");
        if (!(options.TargetConfidence > 0 && options.TargetConfidence <= 1))
            throw new ArgumentOutOfRangeException(nameof(options), options.TargetConfidence, "the target confidence must be in (0, 1]");
        if (!(options.PriorLabels > 0) || double.IsInfinity(options.PriorLabels))
            throw new ArgumentOutOfRangeException(nameof(options), options.PriorLabels, "the prior weight must be positive and finite");
        _options = options;
    }

    /// <summary>The options in force.</summary>
    public DynamicOverlapOptions Options => _options;

    /// <summary>
    /// The annotator model to decide with, from the labels seen so far in the project: the shared
    /// model, or a Dawid–Skene fit turned into per-annotator matrices. The fit runs over all labels,
    /// so call this periodically (in rounds), not on every submission.
    /// </summary>
    /// <remarks>
    /// The fit uses only items with at least two labels: a lone label says nothing about its
    /// annotator, and early on, when most items have one, fitting on them lets Dawid–Skene confirm
    /// its own guesses (on a 5-class set it then trusts every pair of labels, even disagreeing ones).
    /// </remarks>
    public WorkerModel EstimateModel(CategoricalLabels seen)
    {
        return _options.Model == OverlapModel.SharedAccuracy
            ? WorkerModel.Shared(seen.ClassCount, _options.AssumedAccuracy)
            : FitModel(seen, data => DawidSkene.Run(data), _options.AssumedAccuracy, _options.PriorLabels).Model;
    }

    /// <summary>
    /// Per-annotator matrices from <paramref name="fit"/> run over the items of <paramref name="seen"/> with at least two
    /// labels (see the remarks of <see cref="EstimateModel"/>); the shared model when there are none. Annotator and
    /// class indices are those of <paramref name="seen"/>.
    /// </summary>
    /// <param name="seen">The labels so far.</param>
    /// <param name="fit">The aggregation method whose item posteriors the matrices are estimated from.</param>
    /// <param name="accuracy">The shared accuracy the matrices are shrunk towards.</param>
    /// <param name="priorLabels">Weight of the shared matrix, in labels.</param>
    public static FittedModel FitModel(CategoricalLabels seen, Func<CategoricalLabels, CategoricalResult> fit, double accuracy, double priorLabels)
    {
        var counts = new int[seen.ItemCount];
        for (var i = 0; i < counts.Length; i++)
            counts[i] = seen.Start[i + 1] - seen.Start[i] is var n && n >= 2 ? n : 0;
        var compared = OverlapReplay.Subset(seen, counts);
        if (compared.Count == 0)
            return new FittedModel(WorkerModel.Shared(seen.ClassCount, accuracy), compared, null);
        var result = fit(compared);
        return new FittedModel(WorkerModel.Estimate(compared, result, accuracy, priorLabels), compared, result);
    }

    /// <summary>Posterior probability of the leading class given one item's labels.</summary>
    /// <param name="workers">Annotator index of each label (for <see cref="WorkerModel.Shared"/> any values).</param>
    /// <param name="labels">Class index of each label.</param>
    /// <param name="model">The annotator model.</param>
    public static double Confidence(ReadOnlySpan<int> workers, ReadOnlySpan<int> labels, WorkerModel model) =>
        1 - Doubt(workers, labels, model);

    /// <summary>The decision for one item given its labels so far.</summary>
    public OverlapDecision Decide(ReadOnlySpan<int> workers, ReadOnlySpan<int> labels, WorkerModel model)
    {
        // Compared as doubt (1 − confidence), computed without subtracting from 1, so a target of 1
        // stays out of reach however many labels agree. The relative slack absorbs rounding, so a
        // posterior of exactly the target (0.9 for a lead of 2 at accuracy 0.75) counts as reached.
        if (labels.Length >= _options.MinAnnotations && Doubt(workers, labels, model) <= (1 - _options.TargetConfidence) * (1 + 1e-9))
            return OverlapDecision.Stop;
        return labels.Length >= _options.MaxAnnotations ? OverlapDecision.Exhausted : OverlapDecision.Continue;
    }

    /// <summary>Posterior mass of the classes other than the leading one, computed in logs.</summary>
    private static double Doubt(ReadOnlySpan<int> workers, ReadOnlySpan<int> labels, WorkerModel model)
    {
        if (workers.Length != labels.Length)
            throw new ArgumentException("one worker per label is needed", nameof(workers));
        var k = model.ClassCount;
        Span<double> log = k <= 64 ? stackalloc double[k] : new double[k];
        var best = 0;
        for (var t = 0; t < k; t++)
        {
            log[t] = model.LogPrior(t);
            for (var a = 0; a < labels.Length; a++)
                log[t] += model.LogLikelihood(workers[a], t, labels[a]);
            if (log[t] > log[best])
                best = t;
        }

        // P(t) / P(best) = exp(log[t] − log[best]); doubt = Σ_{t≠best} P(t) / Σ_t P(t).
        var others = 0.0;
        for (var t = 0; t < k; t++)
        {
            if (t != best)
                others += Math.Exp(log[t] - log[best]);
        }

        return others / (1 + others);
    }
}
