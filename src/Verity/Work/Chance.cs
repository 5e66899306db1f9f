using Verity.Core.Work;

namespace Verity.Work;

/// <summary>
/// The randomness of the work service (response order, gold and repeat draws), seedable through Work:Seed so a
/// scenario replays exactly; shared by all requests, hence the lock.
/// </summary>
public sealed class Chance(int? seed)
{
    private readonly Random _random = seed is { } value ? new Random(value) : new Random();
    private readonly Lock _lock = new();

    public double NextDouble()
    {
        lock (_lock)
            return _random.NextDouble();
    }

    public int Next(int maxExclusive)
    {
        lock (_lock)
            return _random.Next(maxExclusive);
    }

    public string[] Shuffle(IReadOnlyList<string> ids)
    {
        lock (_lock)
            return ShownOrder.Shuffle(ids, _random);
    }
}
