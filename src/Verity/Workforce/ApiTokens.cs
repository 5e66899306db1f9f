using System.Security.Cryptography;
using System.Text;

namespace Verity.Workforce;

/// <summary>
/// Tokens are 256 random bits; a fast hash is enough to store them because, unlike passwords, they cannot be guessed.
/// </summary>
internal static class ApiTokens
{
    private const string Prefix = "vt_";

    public static string New() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
