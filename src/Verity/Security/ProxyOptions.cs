using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Verity.Security;

/// <summary>
/// Section "Proxy": the reverse proxies whose X-Forwarded-For and X-Forwarded-Proto headers are believed. Empty by
/// default, so a client cannot pick its own address (and escape the sign-in limit) by sending the header itself.
/// </summary>
public sealed class ProxyOptions
{
    /// <summary>Addresses of the proxies in front of Verity, separated by commas, e.g. "127.0.0.1" (env: Proxy__KnownProxies).</summary>
    public string KnownProxies { get; set; } = "";

    /// <summary>Whether any proxy is configured.</summary>
    public bool Enabled => Addresses().Length > 0;

    public void Apply(ForwardedHeadersOptions forwarded)
    {
        forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var proxy in Addresses())
            forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
    }

    private string[] Addresses() => KnownProxies.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
