namespace Verity.Core.Simulation;

/// <summary>
/// An annotator's luck on an item, fixed by the seed: when the same annotator reads the same item in the attacked run
/// and in its honest-crowd baseline, it answers the same way, so the two runs differ by what the adversaries did and
/// not by chance.
/// </summary>
public static class Luck
{
    /// <summary>A uniform number in [0, 1) determined by its three keys (SplitMix64 finaliser).</summary>
    public static double Draw(int seed, int item, int annotator)
    {
        var x = unchecked(((ulong)(uint)seed << 32) ^ ((ulong)(uint)item * 0x9E3779B97F4A7C15UL) ^ ((ulong)(uint)annotator * 0xD1B54A32D192ED03UL));
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        x ^= x >> 31;
        return (x >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>
    /// A seed for a stream of draws determined by its keys. <see cref="HashCode.Combine{T1, T2, T3}"/> would not do:
    /// it is salted per process, so every run would draw differently.
    /// </summary>
    public static int Seed(int seed, int key, int stream) => (int)(Draw(seed, key, stream) * int.MaxValue);
}
