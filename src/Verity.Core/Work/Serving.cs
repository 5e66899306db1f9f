using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Verity.Core.Work;

/// <summary>
/// The order in which a project serves its open items (gold and repeats are mixed in the same way under every policy).
/// Each policy walks one index over the project's open items, so choosing the next item never scans the project.
/// </summary>
public static class ServingPolicies
{
    /// <summary>Every annotator meets the items in the order they were imported.</summary>
    public const string ImportOrder = "import-order";

    /// <summary>
    /// Each annotator meets the items in an order of their own: every lease starts at a point drawn from the annotator,
    /// the project and how many leases the annotator has had there, and takes the first open item at or after it in
    /// the items' fixed random keys. The same annotator in the same state gets the same item, so a retry repeats it.
    /// </summary>
    public const string Random = "random";

    /// <summary>The open item whose label is least certain comes first (see <see cref="Certainty.Of"/>).</summary>
    public const string UncertaintyFirst = "uncertainty-first";

    /// <summary>What a new project serves by: identical sequences for everyone would make collusion easy.</summary>
    public const string Default = Random;

    /// <summary>Every policy, as a project names it.</summary>
    public static IReadOnlyList<string> All { get; } = [ImportOrder, Random, UncertaintyFirst];

    /// <summary>What to say about a policy that is not one of <see cref="All"/>.</summary>
    public static string Problem => $"must be one of: {string.Join(", ", All)}.";

    /// <summary>Whether <paramref name="policy"/> names one of <see cref="All"/>.</summary>
    public static bool Exists(string? policy) => policy is not null && All.Contains(policy, StringComparer.Ordinal);

    /// <summary>An item's fixed random key in [0, 1), derived from its id so it needs no stored seed.</summary>
    public static double ItemKey(Guid itemId)
    {
        Span<byte> bytes = stackalloc byte[16];
        itemId.TryWriteBytes(bytes);
        return Unit(bytes);
    }

    /// <summary>Where an annotator's <paramref name="served"/>-th lease in a project starts walking the item keys, in [0, 1).</summary>
    public static double StartPoint(Guid annotatorId, Guid projectId, int served)
    {
        Span<byte> bytes = stackalloc byte[36];
        annotatorId.TryWriteBytes(bytes);
        projectId.TryWriteBytes(bytes[16..]);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[32..], served);
        return Unit(bytes);
    }

    private static double Unit(ReadOnlySpan<byte> bytes)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(bytes, hash);
        return (BinaryPrimitives.ReadUInt64LittleEndian(hash) >> 11) / (double)(1UL << 53);
    }
}

/// <summary>How sure Verity is of an item's current label, from the annotators' posterior and the model's scores.</summary>
public static class Certainty
{
    /// <summary>
    /// The probability of the most likely answer, in [0, 1]: the live label's posterior combined with the model's
    /// distribution as independent evidence (their product, normalised), the model's alone before any label, and
    /// <paramref name="progress"/> (the share of the item's annotations done) for kinds whose labels have no posterior.
    /// An item nobody labelled and no model scored is 0: nothing is known about it.
    /// </summary>
    /// <param name="label">The live label (a response id, "tie" or a class), null before any counted answer.</param>
    /// <param name="confidence">The live label's posterior, null for kinds without one.</param>
    /// <param name="model">The model's probability per response or class (see <see cref="Items.ModelScores.Distribution"/>), or null.</param>
    public static double Of(string? label, double? confidence, IReadOnlyDictionary<string, double>? model, double progress)
    {
        if (label is not null && confidence is null)
            return Math.Clamp(progress, 0, 1);
        if (label is null || confidence is null)
            return model is null || model.Count == 0 ? 0 : model.Values.Max();
        if (model is null || model.Count == 0 || !model.ContainsKey(label))
            return confidence.Value;
        // The annotators' posterior only names its leading answer: the rest of its mass is spread over the others.
        var others = (1 - confidence.Value) / Math.Max(1, model.Count - 1);
        var combined = model.ToDictionary(p => p.Key, p => p.Value * (p.Key == label ? confidence.Value : others), StringComparer.Ordinal);
        var total = combined.Values.Sum();
        return total <= 0 ? confidence.Value : combined.Values.Max() / total;
    }
}
