using Microsoft.Playwright;

namespace Verity.Tests.Browser;

public static class PageExtensions
{
    /// <summary>Waits until the workbench script has attached its keyboard handlers, so no key press is lost.</summary>
    public static Task WaitForWorkbenchAsync(this IPage page) =>
        page.Locator("html[data-workbench=ready]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
}
