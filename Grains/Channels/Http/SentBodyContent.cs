using System.Net;
using System.Net.Http.Headers;

namespace Notify.Grains.Channels.Http;

/// <summary>
/// A request body that knows whether it was written to the connection in full (<see cref="Sent"/>): the line between
/// a failure the provider cannot have acted on (DNS, a refused connect, TLS, a reset while sending) and one it may
/// have (a timeout or a reset while waiting for the answer).
/// </summary>
internal sealed class SentBodyContent : ByteArrayContent
{
    public SentBodyContent(byte[] body, string mediaType)
        : base(body)
    {
        Headers.ContentType = new MediaTypeHeaderValue(mediaType) { CharSet = "utf-8" };
    }

    public bool Sent { get; private set; }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await base.SerializeToStreamAsync(stream, context, cancellationToken).ConfigureAwait(false);
        Sent = true;
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await base.SerializeToStreamAsync(stream, context).ConfigureAwait(false);
        Sent = true;
    }
}
