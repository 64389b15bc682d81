using Microsoft.Extensions.Options;
using MimeKit;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;

namespace Notify.Grains.Channels.Email;

/// <summary>
/// EmailOutboxRenderer writes a delivery as the complete .eml the SMTP transport would send, built by the same
/// <see cref="EmailMimeBuilder"/>. The From is <c>Channels:Email:From</c> when set, otherwise <c>notify@localhost</c>.
/// Bcc addresses are not written: they never appear in the message, only in the SMTP envelope.
/// </summary>
public sealed class EmailOutboxRenderer : IOutboxRenderer
{
    /// <summary>The From of outbox e-mail when <c>Channels:Email:From</c> is not set.</summary>
    public const string DefaultFrom = "notify@localhost";

    // CRLF line endings whatever the OS: the bytes SMTP carries, and what mail programs expect of an .eml.
    private static readonly FormatOptions EmlFormat = CreateEmlFormat();

    private readonly MailboxAddress _from;
    private readonly TimeProvider _timeProvider;

    public EmailOutboxRenderer(IOptions<EmailChannelOptions> options, TimeProvider timeProvider)
    {
        var from = options.Value.From;
        _from = MailboxAddress.Parse(string.IsNullOrWhiteSpace(from) ? DefaultFrom : from);
        _timeProvider = timeProvider;
    }

    public NotifyChannel Channel => NotifyChannel.Email;

    public string Extension => "eml";

    public async Task RenderAsync(ChannelDelivery delivery, Stream destination, CancellationToken cancellationToken)
    {
        using var message = EmailMimeBuilder.Build(delivery, _from, _timeProvider.GetUtcNow()).Message;
        await message.WriteToAsync(EmlFormat, destination, cancellationToken).ConfigureAwait(false);
    }

    private static FormatOptions CreateEmlFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }
}
