using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Verity.Data;

namespace Verity.Security;

/// <summary>
/// The name a person goes by inside one project: an HMAC-SHA256, under a secret kept in the database, of the project
/// and user ids. The same person has unrelated pseudonyms in two projects, so whoever sees two projects' reports or
/// exports cannot link them, and the prefix says nothing about the role. The secret is made once per database, so
/// every node and every restart gives the same names.
/// </summary>
public sealed class Pseudonyms(IServiceScopeFactory scopes, TimeProvider clock) : IDisposable
{
    private const string SecretName = "pseudonyms";
    private const string Prefix = "p-";
    private readonly SemaphoreSlim _loading = new(1, 1);
    private byte[]? _key;

    /// <summary>A function naming users in <paramref name="projectId"/>.</summary>
    public async Task<Func<Guid, string>> ForProjectAsync(Guid projectId, CancellationToken cancellationToken = default)
    {
        var key = await KeyAsync(cancellationToken);
        var named = new Dictionary<Guid, string>();
        return userId =>
        {
            if (!named.TryGetValue(userId, out var name))
                named[userId] = name = Name(key, projectId, userId);
            return name;
        };
    }

    /// <summary>
    /// The annotator who goes by <paramref name="pseudonym"/> in <paramref name="projectId"/>, or null. A pseudonym from
    /// another project names nobody here. The hash has no inverse, so this hashes every annotator's id (about a
    /// microsecond each).
    /// </summary>
    public async Task<Guid?> FindAnnotatorAsync(VerityDbContext db, Guid projectId, string? pseudonym, CancellationToken cancellationToken = default)
    {
        if (pseudonym is null || !pseudonym.StartsWith(Prefix, StringComparison.Ordinal) || pseudonym.Length != Prefix.Length + 12)
            return null;
        var key = await KeyAsync(cancellationToken);
        var annotators = db.Users.AsNoTracking().Where(u => u.Role == Roles.Annotator).Select(u => u.Id).AsAsyncEnumerable();
        await foreach (var id in annotators.WithCancellation(cancellationToken))
            if (Name(key, projectId, id) == pseudonym)
                return id;
        return null;
    }

    private static string Name(byte[] key, Guid projectId, Guid userId)
    {
        Span<byte> message = stackalloc byte[32];
        projectId.TryWriteBytes(message[..16]);
        userId.TryWriteBytes(message[16..]);
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(key, message, hash);
        // 48 bits: two people in one project share a name with odds of about n²/2⁴⁹, a billionth at 500 people.
        return Prefix + Convert.ToHexStringLower(hash[..6]);
    }

    private async Task<byte[]> KeyAsync(CancellationToken cancellationToken)
    {
        if (_key is { } known)
            return known;
        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (_key is null)
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<VerityDbContext>();
                // Nodes starting together may both make a secret; the first one stored wins and both read it back.
                var made = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
                var now = clock.GetUtcNow().UtcDateTime;
                await db.Database.ExecuteSqlAsync(
                    $"INSERT INTO server_secrets (name, value, created_at) VALUES ({SecretName}, {made}, {now}) ON CONFLICT (name) DO NOTHING",
                    cancellationToken);
                var stored = await db.ServerSecrets.AsNoTracking().Where(s => s.Name == SecretName).Select(s => s.Value).SingleAsync(cancellationToken);
                _key = Convert.FromBase64String(stored);
            }
            return _key;
        }
        finally
        {
            _loading.Release();
        }
    }

    public void Dispose() => _loading.Dispose();
}
