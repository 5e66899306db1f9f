namespace Verity.Core.Quality;

/// <summary>
/// Pairwise judgements over dense ids: comparison c says worker <c>Workers[c]</c> compared item
/// <c>Left[c]</c> with item <c>Right[c]</c>, and <c>Outcomes[c]</c> is the left item's score:
/// 1 when it won, 0 when it lost, 0.5 for a tie.
/// </summary>
public sealed class PairwiseComparisons
{
    internal readonly int[] WorkerOf;
    internal readonly int[] LeftOf;
    internal readonly int[] RightOf;
    internal readonly double[] OutcomeOf;

    /// <summary>Builds the set; the arrays are copied.</summary>
    public PairwiseComparisons(
        IReadOnlyList<string> itemNames,
        IReadOnlyList<string> workerNames,
        ReadOnlySpan<int> workers,
        ReadOnlySpan<int> left,
        ReadOnlySpan<int> right,
        ReadOnlySpan<double> outcomes)
    {
        if (workers.Length != left.Length || left.Length != right.Length || right.Length != outcomes.Length)
            throw new ArgumentException("workers, left, right and outcomes must have the same length", nameof(outcomes));
        ItemNames = [.. itemNames];
        WorkerNames = [.. workerNames];
        for (var c = 0; c < workers.Length; c++)
        {
            if ((uint)workers[c] >= (uint)WorkerNames.Length || (uint)left[c] >= (uint)ItemNames.Length || (uint)right[c] >= (uint)ItemNames.Length)
                throw new ArgumentOutOfRangeException(nameof(workers), $"comparison {c} refers to an unknown item or worker");
            if (left[c] == right[c])
                throw new ArgumentException($"comparison {c} compares an item with itself", nameof(right));
            if (outcomes[c] is not (0 or 0.5 or 1))
                throw new ArgumentException($"comparison {c} has outcome {outcomes[c]}; expected 0, 0.5 or 1", nameof(outcomes));
        }

        WorkerOf = workers.ToArray();
        LeftOf = left.ToArray();
        RightOf = right.ToArray();
        OutcomeOf = outcomes.ToArray();
    }

    /// <summary>Item names by item index.</summary>
    public string[] ItemNames { get; }

    /// <summary>Worker names by worker index.</summary>
    public string[] WorkerNames { get; }

    /// <summary>Number of items.</summary>
    public int ItemCount => ItemNames.Length;

    /// <summary>Number of workers.</summary>
    public int WorkerCount => WorkerNames.Length;

    /// <summary>Number of comparisons.</summary>
    public int Count => WorkerOf.Length;

    /// <summary>Worker of each comparison.</summary>
    public ReadOnlySpan<int> Workers => WorkerOf;

    /// <summary>Left item of each comparison.</summary>
    public ReadOnlySpan<int> Left => LeftOf;

    /// <summary>Right item of each comparison.</summary>
    public ReadOnlySpan<int> Right => RightOf;

    /// <summary>Left item's score in each comparison: 1 win, 0.5 tie, 0 loss.</summary>
    public ReadOnlySpan<double> Outcomes => OutcomeOf;
}

/// <summary>Scores fitted from pairwise comparisons.</summary>
/// <param name="Scores">Log-strength per item, centred to mean zero; P(i beats j) = 1 / (1 + exp(s_j − s_i)).</param>
/// <param name="StandardErrors">Per item: 1 / sqrt(Fisher information of its score), the others held fixed.</param>
/// <param name="Ranks">Per item: 1 for the highest score (ties by item index).</param>
/// <param name="WorkerSkill">Per worker: for Bradley–Terry the mean probability the fit gives to the worker's judgements; for the noisy model the estimated reliability.</param>
/// <param name="Iterations">Iterations run.</param>
public sealed record PairwiseResult(double[] Scores, double[] StandardErrors, int[] Ranks, double[] WorkerSkill, int Iterations);

/// <summary>Settings for <see cref="BradleyTerry"/>.</summary>
/// <param name="PriorTies">
/// Virtual ties of every item against a reference of score 0: keeps items that never win (or never
/// lose) finite. 0 gives the plain maximum-likelihood fit (as in R's BradleyTerry2).
/// </param>
/// <param name="MaxIterations">Iteration cap.</param>
/// <param name="Tolerance">Stop when no log-strength moves by more than this.</param>
public sealed record BradleyTerryOptions(double PriorTies = 1, int MaxIterations = 2000, double Tolerance = 1e-6)
{
    /// <summary>The defaults.</summary>
    public static BradleyTerryOptions Default { get; } = new();
}
