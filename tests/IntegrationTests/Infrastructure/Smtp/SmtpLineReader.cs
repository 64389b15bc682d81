namespace Notify.IntegrationTests.Infrastructure.Smtp;

/// <summary>Reads CRLF-terminated lines as bytes from an SMTP stream, buffering so pipelined commands cost one read.</summary>
internal sealed class SmtpLineReader(Stream stream)
{
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    /// <summary>The next line without its line ending, or null when the peer closed the connection.</summary>
    public async ValueTask<byte[]?> ReadLineAsync(CancellationToken cancellationToken)
    {
        MemoryStream? partial = null;
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var length = newline - _start;
                byte[] line;
                if (partial is null)
                {
                    line = _buffer.AsSpan(_start, length).ToArray();
                }
                else
                {
                    partial.Write(_buffer, _start, length);
                    line = partial.ToArray();
                }

                _start = newline + 1;
                return line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
            }

            if (_end > _start)
            {
                partial ??= new MemoryStream();
                partial.Write(_buffer, _start, _end - _start);
            }

            _start = 0;
            _end = await stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
            if (_end == 0)
            {
                return null;
            }
        }
    }
}
