using System.CommandLine;
using System.Globalization;
using Verity.Cli;
using Verity.Data;
using Verity.Security;

namespace Verity.Workforce;

internal static class UsersCommands
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The sign-in name." };
        var role = new Option<string>("--role") { Description = "admin, requester, reviewer or annotator.", Required = true };
        role.AcceptOnlyFromAmong([.. Roles.All]);
        var password = new Option<string?>("--password") { Description = "Lets the user sign in to the web pages (at least 8 characters)." };
        var token = new Option<bool>("--token") { Description = "Also issue an API token; it is printed once, alone on the last line." };
        var db = CliOptions.Db();

        var add = new Command("add", "Create a user.") { name, role, password, token, db };
        add.SetServicesAction(db, async (parse, services, cancellationToken) =>
        {
            var users = services.GetRequiredService<UserService>();
            var user = await users.AddAsync(parse.GetValue(name)!, parse.GetValue(role)!, parse.GetValue(password), cancellationToken);
            await services.GetRequiredService<AuditLog>().RecordAsync(AuditKinds.UserCreated, subject: user.Name, detail: user.Role, cancellationToken: cancellationToken);
            var output = parse.InvocationConfiguration.Output;
            await output.WriteLineAsync($"created {user.Role} {user.Name} ({user.Id}, pseudonym {user.Pseudonym})");
            if (parse.GetValue(token))
                await output.WriteLineAsync(await users.IssueTokenAsync(user.Id, cancellationToken));
            return 0;
        });

        var list = new Command("list", "List users: name, role, pseudonym, disabled.") { db };
        list.SetServicesAction(db, async (parse, services, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            foreach (var user in await services.GetRequiredService<UserService>().ListAsync(cancellationToken))
                await output.WriteLineAsync($"{user.Name}\t{user.Role}\t{user.Pseudonym}\t{(user.DisabledAt is { } at ? "disabled " + Stamp(at) : "active")}");
            return 0;
        });

        var tokenFor = new Argument<string>("name") { Description = "The sign-in name." };
        var tokenCommand = new Command("token", "Issue an API token for an existing person, with every scope of their role; printed once, alone on the last line.") { tokenFor, db };
        tokenCommand.SetServicesAction(db, async (parse, services, cancellationToken) =>
        {
            var users = services.GetRequiredService<UserService>();
            var user = await users.FindAsync(parse.GetValue(tokenFor)!, cancellationToken);
            var secret = await users.IssueTokenAsync(user.Id, cancellationToken);
            await services.GetRequiredService<AuditLog>().RecordAsync(AuditKinds.TokenIssued, subject: user.Name, detail: $"for {user.Name}", cancellationToken: cancellationToken);
            var output = parse.InvocationConfiguration.Output;
            await output.WriteLineAsync($"issued a token for {user.Role} {user.Name}");
            await output.WriteLineAsync(secret);
            return 0;
        });

        var resetFor = new Argument<string>("name") { Description = "The sign-in name." };
        var assessment = new Argument<Guid>("project") { Description = "The assessment's project id." };
        var reason = new Option<string>("--reason") { Description = "Why the person may take it again; kept in the audit log.", Required = true };
        var reset = new Command("reset-assessment", "Set a person's attempt at an assessment aside so they may start it again.") { resetFor, assessment, reason, db };
        reset.SetServicesAction(db, async (parse, services, cancellationToken) =>
        {
            var user = await services.GetRequiredService<UserService>().FindAsync(parse.GetValue(resetFor)!, cancellationToken);
            var attempt = await services.GetRequiredService<AssessmentService>().ResetAsync(parse.GetValue(assessment), user.Id, parse.GetValue(reason), null, cancellationToken);
            await services.GetRequiredService<AuditLog>().RecordAsync(AuditKinds.AssessmentReset, attempt.ProjectId, user.Name, attempt.ResetReason, cancellationToken);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"reset {user.Name}'s attempt at {attempt.ProjectId}");
            return 0;
        });

        return new Command("users", "Manage people.")
        {
            add,
            list,
            tokenCommand,
            reset,
            Change("disable", "Disable a user: their sessions end and their tokens stop working at once.", AuditKinds.UserDisabled, null, (users, user, _, ct) => users.DisableAsync(user, ct)),
            Change("enable", "Enable a disabled user again.", AuditKinds.UserEnabled, null, (users, user, _, ct) => users.EnableAsync(user, ct)),
            Change("password", "Set a user's password; every session of theirs ends.", AuditKinds.PasswordChanged,
                new Option<string>("--password") { Description = "The new password (at least 8 characters).", Required = true },
                (users, user, value, ct) => users.SetPasswordAsync(user, value ?? "", ct)),
        };
    }

    /// <summary>`verity tokens list|issue|revoke|rotate`: a user's API tokens, as an operator manages them.</summary>
    public static Command Tokens()
    {
        var user = new Argument<string>("user") { Description = "The user's sign-in name." };
        var db = CliOptions.Db();

        var list = new Command("list", "A user's tokens: id, name, scopes, expiry, last use, revocation.") { user, db };
        list.SetServicesAction(db, async (parse, services, cancellationToken) =>
        {
            var owner = await services.GetRequiredService<UserService>().FindAsync(parse.GetValue(user)!, cancellationToken);
            var output = parse.InvocationConfiguration.Output;
            foreach (var t in await services.GetRequiredService<TokenService>().ListAsync(owner.Id, cancellationToken))
            {
                await output.WriteLineAsync(string.Join('\t', t.Id, t.Name, string.Join(' ', t.Scopes), $"expires {Stamp(t.ExpiresAt)}",
                    $"used {Stamp(t.LastUsedAt)}", t.RevokedAt is { } revoked ? "revoked " + Stamp(revoked) : "active"));
            }

            return 0;
        });

        var tokenName = new Option<string>("--name") { Description = "What the token is for.", Required = true };
        var scopes = new Option<string[]>("--scope") { Description = "A scope (annotate, review, projects, export, admin); repeat it; default every scope of the role.", AllowMultipleArgumentsPerToken = true };
        var days = new Option<int?>("--days") { Description = "Days until the token expires; default never." };
        var issue = new Command("issue", "Issue a token; it is printed once, alone on the last line.") { user, tokenName, scopes, days, db };
        issue.SetServicesAction(db, async (parse, services, cancellationToken) =>
        {
            var owner = await services.GetRequiredService<UserService>().FindAsync(parse.GetValue(user)!, cancellationToken);
            var chosen = parse.GetValue(scopes);
            var issued = await services.GetRequiredService<TokenService>().IssueAsync(
                owner.Id, owner.Role, new NewToken(parse.GetValue(tokenName)!, chosen is { Length: > 0 } ? chosen : null, parse.GetValue(days)), cancellationToken: cancellationToken);
            await services.GetRequiredService<AuditLog>().RecordAsync(AuditKinds.TokenIssued, subject: issued.Token.Id.ToString(), detail: $"for {owner.Name}", cancellationToken: cancellationToken);
            var output = parse.InvocationConfiguration.Output;
            await output.WriteLineAsync($"issued token {issued.Token.Id} ({string.Join(' ', issued.Token.Scopes)}) for {owner.Name}");
            await output.WriteLineAsync(issued.Secret);
            return 0;
        });

        var id = new Argument<Guid>("token") { Description = "The token's id, as listed." };
        var revoke = new Command("revoke", "Revoke a token; it stops working at once.") { user, id, db };
        revoke.SetServicesAction(db, async (parse, services, cancellationToken) =>
        {
            var owner = await services.GetRequiredService<UserService>().FindAsync(parse.GetValue(user)!, cancellationToken);
            var tokens = services.GetRequiredService<TokenService>();
            await tokens.RevokeAsync(await tokens.FindAsync(owner.Id, parse.GetValue(id), cancellationToken), cancellationToken);
            await services.GetRequiredService<AuditLog>().RecordAsync(AuditKinds.TokenRevoked, subject: parse.GetValue(id).ToString(), cancellationToken: cancellationToken);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"revoked token {parse.GetValue(id)}");
            return 0;
        });

        var rotate = new Command("rotate", "Revoke a token and issue its replacement (same name, scopes, lifetime), printed alone on the last line.") { user, id, db };
        rotate.SetServicesAction(db, async (parse, services, cancellationToken) =>
        {
            var owner = await services.GetRequiredService<UserService>().FindAsync(parse.GetValue(user)!, cancellationToken);
            var tokens = services.GetRequiredService<TokenService>();
            var issued = await tokens.RotateAsync(await tokens.FindAsync(owner.Id, parse.GetValue(id), cancellationToken), owner.Role, cancellationToken);
            await services.GetRequiredService<AuditLog>().RecordAsync(AuditKinds.TokenRotated, subject: parse.GetValue(id).ToString(), detail: $"replaced by {issued.Token.Id}", cancellationToken: cancellationToken);
            var output = parse.InvocationConfiguration.Output;
            await output.WriteLineAsync($"revoked token {parse.GetValue(id)}, issued {issued.Token.Id}");
            await output.WriteLineAsync(issued.Secret);
            return 0;
        });

        return new Command("tokens", "Manage users' API tokens.") { list, issue, revoke, rotate };
    }

    private static Command Change(string verb, string description, string auditKind, Option<string>? value, Func<UserService, User, string?, CancellationToken, Task> change)
    {
        var name = new Argument<string>("name") { Description = "The sign-in name." };
        var db = CliOptions.Db();
        var command = new Command(verb, description) { name, db };
        if (value is not null)
            command.Add(value);
        command.SetServicesAction(db, async (parse, services, cancellationToken) =>
        {
            var users = services.GetRequiredService<UserService>();
            var user = await users.FindAsync(parse.GetValue(name)!, cancellationToken);
            await change(users, user, value is null ? null : parse.GetValue(value), cancellationToken);
            await services.GetRequiredService<AuditLog>().RecordAsync(auditKind, subject: user.Name, cancellationToken: cancellationToken);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"{verb}: {user.Name}");
            return 0;
        });
        return command;
    }

    private static string Stamp(DateTime? at) => at?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "never";
}
