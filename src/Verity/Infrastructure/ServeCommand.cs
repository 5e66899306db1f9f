using System.CommandLine;
using Verity.Cli;
using Verity.Data;
using Verity.Demo;

namespace Verity.Infrastructure;

internal static class ServeCommand
{
    public const string DefaultUrls = "http://127.0.0.1:5000";

    public static Command Create()
    {
        var db = CliOptions.Db();
        var urls = new Option<string>("--urls") { Description = "Where to listen.", DefaultValueFactory = _ => DefaultUrls };
        var demo = new Option<bool>("--demo") { Description = "Create a demo requester, two annotators and a demo project (once), and print how to sign in." };
        var command = new Command("serve", "Run the web server (pages and API); applies migrations first.") { db, urls, demo };
        command.SetReportingAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var app = VerityApp.Build(DatabaseTarget.Parse(parse.GetValue(db)!), parse.GetValue(urls)!);
            await VerityApp.MigrateAsync(app);
            if (parse.GetValue(demo))
            {
                await using var scope = app.Services.CreateAsyncScope();
                var names = await DemoSeeder.SeedAsync(
                    scope.ServiceProvider.GetRequiredService<VerityDbContext>(), scope.ServiceProvider.GetRequiredService<TimeProvider>(), cancellationToken);
                await output.WriteLineAsync($"Demo ready at {parse.GetValue(urls)} — sign in with password \"{DemoSeeder.Password}\" as:");
                foreach (var name in names)
                    await output.WriteLineAsync($"  {name}");
            }

            await app.RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
