using System.Globalization;

namespace Verity.Core.Quality;

/// <summary>
/// How many of a slice's labels one annotator, or one group that behaves as one, decided: an item is decided by a
/// group when removing the group's answers changes the weighted vote's winner (or leaves no winner).
/// </summary>
/// <param name="Slice">The slice.</param>
/// <param name="Decided">Items of the slice the group decided.</param>
/// <param name="Labelled">Items of the slice with a label.</param>
/// <param name="Cap">The largest share a group may decide.</param>
/// <param name="Partners">How many other annotators are counted with this one as one group.</param>
public sealed record InfluenceCap(string Slice, int Decided, int Labelled, double Cap, int Partners) : IDetection
{
    /// <summary>Share of the slice's labels the group decided.</summary>
    public double Share => Labelled == 0 ? 0 : (double)Decided / Labelled;

    /// <inheritdoc />
    public bool Fires => Share > Cap;

    /// <inheritdoc />
    public string Evidence => string.Create(CultureInfo.InvariantCulture,
        $"decided {Decided} of {Labelled} labels in slice \"{Slice}\" ({Share:P0}){(Partners > 0 ? $" with {Partners} partner(s) counted as one" : "")}, above the cap of {Cap:P0}; the items they decided get another annotator");

    /// <summary>Fewest annotators a slice needs before the cap applies: with fewer, someone always decides a large share.</summary>
    public static int MinAnnotators(double cap) => Math.Max(10, (int)Math.Ceiling(2 / cap));

    /// <summary>
    /// The groups whose removal changes the winner of a weighted vote: each answer is (group, class, weight), the winner
    /// is the class with the largest total weight, and a tie for the lead is no winner.
    /// </summary>
    public static IReadOnlyList<int> Pivotal(IReadOnlyList<(int Group, string Class, double Weight)> votes)
    {
        var winner = Winner(votes, exclude: null);
        return [.. votes.Select(v => v.Group).Distinct().Order().Where(g => Winner(votes, g) != winner)];
    }

    private static string? Winner(IReadOnlyList<(int Group, string Class, double Weight)> votes, int? exclude)
    {
        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (group, @class, weight) in votes)
        {
            if (group != exclude && weight > 0)
                totals[@class] = totals.GetValueOrDefault(@class) + weight;
        }

        if (totals.Count == 0)
            return null;
        var best = totals.Values.Max();
        var leaders = totals.Where(t => t.Value >= best - 1e-12).Select(t => t.Key).ToList();
        return leaders.Count == 1 ? leaders[0] : null;
    }
}
