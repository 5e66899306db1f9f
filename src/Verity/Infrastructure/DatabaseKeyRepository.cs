using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Verity.Data;

namespace Verity.Infrastructure;

/// <summary>
/// Keeps the data-protection key ring in <c>data_protection_keys</c>, so every node on one database signs and reads
/// the same cookies and antiforgery tokens. (The EF Core package for this wants an int identity key; every Verity table
/// has an application-made UUID, so this is the few lines it would have been.) Keys are stored unencrypted, like the
/// rest of the database: whoever can read the database can already do more than forge a cookie.
/// </summary>
internal sealed class DatabaseKeyRepository(IServiceScopeFactory scopes, TimeProvider clock) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<VerityDbContext>();
        return [.. db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).AsEnumerable().Select(XElement.Parse)];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<VerityDbContext>();
        db.DataProtectionKeys.Add(new DataProtectionKeyRow
        {
            Id = Guid.CreateVersion7(),
            FriendlyName = friendlyName,
            Xml = element.ToString(SaveOptions.DisableFormatting),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        });
        db.SaveChanges();
    }
}

internal static class DataProtectionSetup
{
    /// <summary>One application name on every node (the default is the install folder, which nodes need not share).</summary>
    public static IServiceCollection AddVerityDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("Verity");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(
            options => options.XmlRepository = new DatabaseKeyRepository(sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<TimeProvider>())));
        return services;
    }
}
