using Microsoft.Extensions.Options;
using Verity.Data;
using Verity.Infrastructure;

namespace Verity.Tests.Infrastructure;

public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("Work:LeaseMinutes", "0", "LeaseMinutes")]
    [InlineData("RateLimits:LoginPerMinute", "0", "LoginPerMinute")]
    [InlineData("RateLimits:SubmissionsPerMinute", "-5", "SubmissionsPerMinute")]
    [InlineData("Quality:RefreshSeconds", "-1", "RefreshSeconds")]
    [InlineData("Workforce:Pay:IdleSeconds", "0", "IdleSeconds")]
    [InlineData("Workforce:Tiers:GoldAccuracy:0", "0.9", "Workforce:Tiers")]
    [InlineData("Workforce:Tiers:MinGold", "0", "MinGold")]
    public async Task a_setting_out_of_range_stops_start_up_naming_it(string key, string value, string name)
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = VerityApp.Build(database.Target, "http://127.0.0.1:0", builder => builder.Configuration[key] = value);

        var error = await Should.ThrowAsync<OptionsValidationException>(() => app.StartAsync());

        error.Message.ShouldContain(name);
    }

    [Fact]
    public async Task the_default_settings_start()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = VerityApp.Build(database.Target, "http://127.0.0.1:0");
        await VerityApp.MigrateAsync(app);

        await app.StartAsync();

        await app.StopAsync();
    }
}
