using System.Security.Cryptography;
using System.Text;

namespace Verity.Work;

/// <summary>
/// Each annotator's own share of a project's gold pool: the items that come first when the pool is ordered by a hash
/// of (annotator, item). The order is fixed per annotator, so the share does not change between requests, and
/// differs between annotators, so pooled accounts see different items. The hash takes the account's name and the
/// item's external id rather than their generated ids, so a replayed run (the simulator's, on a fresh database) gives
/// everyone the same share again.
/// </summary>
internal static class GoldDraw
{
    public static IEnumerable<Guid> Share(IReadOnlyCollection<(Guid Id, string ExternalId)> pool, string annotatorName, double share, int calibration)
    {
        var size = Math.Min(pool.Count, Math.Max(calibration, (int)Math.Ceiling(pool.Count * share)));
        return pool.OrderBy(item => Key(annotatorName, item.ExternalId), StringComparer.Ordinal).ThenBy(item => item.Id).Take(size).Select(item => item.Id);
    }

    // Length-prefixed, so no two (name, external id) pairs give the same bytes.
    private static string Key(string annotatorName, string externalId) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{annotatorName.Length}:{annotatorName}{externalId}")));
}
