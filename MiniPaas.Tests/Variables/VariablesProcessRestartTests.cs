using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MiniPaas.Core.Networking;
using MiniPaas.Core.Variables;
using MiniPaas.Tests.Deploying;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Variables;

/// <summary>
/// Values encrypted by one process are read by another on the same database, both ways: this test process encrypts, the
/// real MiniPaas.Web (a child process with its own data folder, so nothing but the database is shared) shows the value
/// when revealed; then a value set in the child's dashboard is decrypted back here. The key ring is in PostgreSQL.
/// A freshly started process answers its first interactions slowly on a loaded machine: the waits are generous.
/// </summary>
[Trait("Category", "Browser")]
[Trait("Needs", "Docker")]
public sealed class VariablesProcessRestartTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task NewProcess_SameDatabase_DecryptsAndIsDecrypted()
    {
        var contexts = await VariablesTestStore.CreateDatabaseAsync("vars_proc_" + Guid.NewGuid().ToString("N")[..6]);
        var projectId = await VariablesTestStore.AddProjectAsync(contexts, $"proc-{Guid.NewGuid():N}"[..13]);
        await using (var here = VariablesTestStore.StartServices(contexts))
        {
            var set = await here.GetRequiredService<ProjectVariables>().SetAsync(projectId, "SECRET_KEY", "line1 $(id)\nline2", "tests");
            Assert.True(set.Succeeded, set.Error);
        }

        using (var child = KillRecoveryTests.MiniPaasProcess.Start(contexts.ConnectionString, LoopbackPort.Free()))
        {
            await child.WaitUntilReadyAsync();
            var page = await browser.NewPageAsync(child.BaseAddress, await OwnerSignIn.SetUpAsync(await child.SetupLinkAsync()));
            await page.GotoAsync($"projects/{projectId}/variables");
            await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await Assertions.Expect(page.GetByTestId("value-SECRET_KEY")).ToHaveTextAsync("••••••••", new() { Timeout = 30_000 });

            await page.GetByTestId("reveal-SECRET_KEY").ClickAsync();
            await Assertions.Expect(page.GetByTestId("value-SECRET_KEY")).ToHaveTextAsync("line1 $(id)\nline2", new() { Timeout = 30_000 });

            await page.GetByTestId("add-variable").ClickAsync();
            await page.GetByTestId("variable-key").FillAsync("FROM_CHILD");
            await page.GetByTestId("variable-value").FillAsync("set in another process");
            await page.GetByTestId("save-variable").ClickAsync();
            await Assertions.Expect(page.GetByTestId("variables-message")).ToContainTextAsync("FROM_CHILD saved", new() { Timeout = 30_000 });
            await page.Context.CloseAsync();
        }

        await using var again = VariablesTestStore.StartServices(contexts);
        var listed = (await again.GetRequiredService<ProjectVariables>().ListAsync(projectId)).ToDictionary(v => v.Key);
        Assert.True(listed["FROM_CHILD"].CanDecrypt);
        Assert.Equal("set in another process", listed["FROM_CHILD"].Value);
        Assert.Equal("line1 $(id)\nline2", listed["SECRET_KEY"].Value);
    }
}
