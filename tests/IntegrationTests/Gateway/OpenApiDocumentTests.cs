using System.Net;
using Notify.IntegrationTests.Infrastructure;
using Notify.IntegrationTests.Infrastructure.Host;
using Notify.Silo.Gateway;
using Xunit;

namespace Notify.IntegrationTests.Gateway;

public sealed class OpenApiDocumentTests(NotifyHostFixture fixture) : IClassFixture<NotifyHostFixture>
{
    [Fact]
    public async Task ServedDocument_WithoutAKey_EqualsTheCheckedInOneAndListsTheRestPaths()
    {
        using var response = await fixture.Host.Http.GetAsync(NotifyOpenApi.Path, TestContext.Current.CancellationToken);
        var document = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"/service/notify/email/send\"", document, StringComparison.Ordinal);
        Assert.Contains("\"/service/notifies/email\"", document, StringComparison.Ordinal);
        CheckedInDocument.AssertCurrent("docs/openapi/v1.json", document);
    }
}
