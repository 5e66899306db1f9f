namespace Verity.Core.Simulation;

/// <summary>
/// Common random numbers for skill-based choices: the k-th skill-based reading of an item draws the same number in
/// every run with the same seed, whoever reads it. The attacked run and its honest-crowd baseline then differ by what
/// the adversaries did, not by luck, which keeps the comparison sharp at small sizes. Safe to share between threads.
/// </summary>
public sealed class ReadingDraws(int seed, int items)
{
    private readonly int[] _readings = new int[items];

    /// <summary>The next draw in [0, 1) for item <paramref name="index"/>.</summary>
    public double Next(int index) => Uniform(seed, index, Interlocked.Increment(ref _readings[index]) - 1);

    /// <summary>A uniform number in [0, 1) determined by its three keys (SplitMix64 finaliser).</summary>
    internal static double Uniform(int seed, int item, int reading)
    {
        var x = unchecked(((ulong)(uint)seed << 32) ^ ((ulong)(uint)item * 0x9E3779B97F4A7C15UL) ^ ((ulong)(uint)reading * 0xD1B54A32D192ED03UL));
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        x ^= x >> 31;
        return (x >> 11) * (1.0 / (1UL << 53));
    }
}
