namespace Notify.IntegrationTests.Infrastructure.HttpProviders;

/// <summary>
/// One robot <c>upload_media</c> request <see cref="HttpProviderTestServer"/> received, its multipart part read back.
/// </summary>
/// <param name="Sequence">The <see cref="RecordedRequest.Sequence"/> of the request that carried it.</param>
/// <param name="Type">The <c>type</c> query parameter (<c>file</c>, <c>voice</c>).</param>
/// <param name="PartName">The part's <c>name</c> (WeCom's is <c>media</c>); null when the body had no file part.</param>
/// <param name="FileName">The part's <c>filename</c>, read as UTF-8.</param>
/// <param name="FileLength">The part's <c>filelength</c> parameter, when sent.</param>
/// <param name="Content">The part's bytes.</param>
/// <param name="MediaId">What the server answered as <c>media_id</c>; null when it answered an error.</param>
public sealed record RecordedUpload(
    long Sequence,
    string Type,
    string? PartName,
    string? FileName,
    long? FileLength,
    byte[] Content,
    string? MediaId);
