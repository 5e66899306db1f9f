namespace Verity.Core.Work;

/// <summary>
/// Response order is shuffled per assignment, so a preference for "whatever is shown first" shows up as
/// noise against the consensus instead of as a systematic bias in the data.
/// </summary>
public static class ShownOrder
{
    /// <summary>A uniformly random permutation of <paramref name="responseIds"/>.</summary>
    public static string[] Shuffle(IReadOnlyList<string> responseIds, Random random)
    {
        var order = responseIds.ToArray();
        random.Shuffle(order);
        return order;
    }
}
