using Microsoft.Extensions.Options;
using Verity.Data;
using Verity.Infrastructure;
using Verity.Workforce;

namespace Verity.Security;

/// <summary>The outcome of a sign-in attempt; <see cref="RetryAfter"/> is set when the account must wait.</summary>
public sealed record SignInOutcome(User? User, TimeSpan? RetryAfter);

/// <summary>
/// Password sign-in with per-account back-off: past the allowance, every failure doubles how long the account waits
/// before its password is checked again (up to a cap), whatever address the attempts come from. Unknown names cost
/// the same password check as known ones and get the same answer, so timing and wording do not tell which exist.
/// Every attempt goes to the audit log.
/// </summary>
public sealed class SignIns(UserService users, VerityDbContext db, TimeProvider clock, AuditLog audit, IOptions<RateLimitOptions> limits)
{
    public async Task<SignInOutcome> AttemptAsync(string name, string password, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var (account, matches) = await users.CheckPasswordAsync(name, password, cancellationToken);
        if (account?.SignInBlockedUntil is { } blocked && blocked > now)
        {
            await audit.RecordAsync(AuditKinds.SignInThrottled, account.Id, account.Name, null, account.Name, null, cancellationToken);
            return new SignInOutcome(null, blocked - now);
        }

        if (!matches || account!.DisabledAt is not null)
        {
            if (account is not null)
            {
                account.FailedSignIns++;
                var over = account.FailedSignIns - limits.Value.FreeFailedSignIns;
                if (over > 0)
                    account.SignInBlockedUntil = now.AddSeconds(Math.Min(limits.Value.MaxSignInWaitSeconds, Math.Pow(2, Math.Min(over - 1, 30))));
                await db.SaveChangesAsync(cancellationToken);
            }

            await audit.RecordAsync(AuditKinds.SignInFailed, account?.Id, name, null, name, account?.DisabledAt is not null ? "disabled" : null, cancellationToken);
            return new SignInOutcome(null, null);
        }

        account.FailedSignIns = 0;
        account.SignInBlockedUntil = null;
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditKinds.SignIn, account.Id, account.Name, null, account.Name, null, cancellationToken);
        return new SignInOutcome(account, null);
    }
}
