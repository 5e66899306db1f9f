using System.Security.Cryptography;

namespace Verity.Work;

/// <summary>
/// Each annotator's own share of a project's gold pool: the items that come first when the pool is ordered by a hash
/// of (annotator, item). The order is fixed per annotator, so the share does not change between requests, and
/// differs between annotators, so pooled accounts see different items.
/// </summary>
internal static class GoldDraw
{
    public static IEnumerable<Guid> Share(IReadOnlyCollection<Guid> pool, Guid annotatorId, double share, int calibration)
    {
        var size = Math.Min(pool.Count, Math.Max(calibration, (int)Math.Ceiling(pool.Count * share)));
        return pool.OrderBy(item => Key(annotatorId, item), StringComparer.Ordinal).Take(size);
    }

    private static string Key(Guid annotatorId, Guid itemId)
    {
        Span<byte> bytes = stackalloc byte[32];
        annotatorId.TryWriteBytes(bytes[..16]);
        itemId.TryWriteBytes(bytes[16..]);
        return Convert.ToHexString(SHA256.HashData(bytes));
    }
}
