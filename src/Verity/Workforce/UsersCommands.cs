using System.CommandLine;
using Verity.Cli;
using Verity.Data;

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
            var output = parse.InvocationConfiguration.Output;
            await output.WriteLineAsync($"created {user.Role} {user.Name} ({user.Id}, pseudonym {user.Pseudonym})");
            if (parse.GetValue(token))
                await output.WriteLineAsync(await users.IssueTokenAsync(user.Id, cancellationToken));
            return 0;
        });
        return new Command("users", "Manage people and API tokens.") { add };
    }
}
