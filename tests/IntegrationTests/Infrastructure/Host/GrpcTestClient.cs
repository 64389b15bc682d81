using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Net.Client;
using Notify.Api.V1;

namespace Notify.IntegrationTests.Infrastructure.Host;

/// <summary>
/// Unary gRPC calls built from the server's own descriptors and message types: the silo generates only the server
/// side of notify.v1 and the Client keeps its generated stubs internal, so the tests call by method name. A name or
/// type that does not match the descriptor fails the test before anything is sent.
/// </summary>
public sealed class GrpcTestClient(GrpcChannel channel)
{
    private readonly CallInvoker _invoker = channel.CreateCallInvoker();

    public async Task<TResponse> CallAsync<TRequest, TResponse>(ServiceDescriptor service, string methodName, TRequest request, Metadata? headers = null)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var descriptor = service.FindMethodByName(methodName) ?? throw new ArgumentException($"{service.FullName} has no method {methodName}");
        if (descriptor.InputType.ClrType != typeof(TRequest) || descriptor.OutputType.ClrType != typeof(TResponse))
        {
            throw new ArgumentException($"{service.FullName}.{methodName} takes {descriptor.InputType.ClrType.Name} and returns {descriptor.OutputType.ClrType.Name}");
        }

        var method = new Method<TRequest, TResponse>(MethodType.Unary, service.FullName, methodName, Marshaller<TRequest>(), Marshaller<TResponse>());
        return await _invoker.AsyncUnaryCall(method, null, new CallOptions(headers, DateTime.UtcNow.AddSeconds(30)), request);
    }

    /// <summary>A call to <c>notify.v1.NotifyService</c>.</summary>
    public Task<TResponse> NotifyAsync<TRequest, TResponse>(string methodName, TRequest request)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        CallAsync<TRequest, TResponse>(NotifyService.Descriptor, methodName, request);

    /// <summary>A call to <c>notify.v1.AdminService</c>.</summary>
    public Task<TResponse> AdminAsync<TRequest, TResponse>(string methodName, TRequest request)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        CallAsync<TRequest, TResponse>(AdminService.Descriptor, methodName, request);

    private static Marshaller<T> Marshaller<T>() where T : class, IMessage<T>, new()
    {
        var parser = new MessageParser<T>(() => new T());
        return Marshallers.Create(message => message.ToByteArray(), parser.ParseFrom);
    }
}
