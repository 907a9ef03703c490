package dev.switchboard.platform.internal.messaging;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.protobuf.Descriptors.Descriptor;

import dev.switchboard.contracts.schema.SchemaProto;
import dev.switchboard.platform.messaging.MalformedEventException;

/**
 * The schema revision of a message type, as its {@code .proto} declares it (options
 * {@code switchboard.schema.revision} and {@code readable_from}), and as it travels in
 * the CloudEvents {@code dataschema} attribute:
 * {@code urn:switchboard:schema:<type>:<revision>?readable-from=<n>}.
 *
 * <p>
 * A reader built with revision R reads a message whose readable-from is at most R: older
 * revisions, and newer ones that only added fields (protobuf skips fields it does not
 * know). A message that needs a newer reader is refused as malformed, so it goes to the
 * dead-letter channel instead of being half understood. A message without the attribute
 * is revision 1.
 */
public record SchemaRevision(String type, int revision, int readableFrom) {

	private static final Pattern URI = Pattern
		.compile("urn:switchboard:schema:([A-Za-z0-9_.]+):(\\d{1,9})\\?readable-from=(\\d{1,9})");

	public SchemaRevision {
		if (revision < 1 || readableFrom < 1 || readableFrom > revision) {
			throw new IllegalArgumentException("A schema revision is >= 1 and readable from 1 up to itself: " + type
					+ " " + revision + "/" + readableFrom);
		}
	}

	/** The revision the compiled message type declares. */
	public static SchemaRevision of(Descriptor descriptor) {
		var options = descriptor.getOptions();
		int revision = Math.max(1, options.getExtension(SchemaProto.revision));
		int readableFrom = Math.max(1, options.getExtension(SchemaProto.readableFrom));
		return new SchemaRevision(descriptor.getFullName(), revision, readableFrom);
	}

	/**
	 * Reads a {@code dataschema} attribute.
	 * @param type the message's type ({@code ce_type}), for a message that has none
	 * @throws MalformedEventException when it is not one of ours
	 */
	public static SchemaRevision parse(String dataschema, String type) {
		if (dataschema == null) {
			return new SchemaRevision(type, 1, 1);
		}
		Matcher uri = URI.matcher(dataschema);
		if (!uri.matches()) {
			throw new MalformedEventException("unreadable dataschema " + dataschema);
		}
		try {
			return new SchemaRevision(uri.group(1), Integer.parseInt(uri.group(2)), Integer.parseInt(uri.group(3)));
		}
		catch (IllegalArgumentException ex) {
			throw new MalformedEventException("unreadable dataschema " + dataschema, ex);
		}
	}

	public String uri() {
		return "urn:switchboard:schema:" + this.type + ":" + this.revision + "?readable-from=" + this.readableFrom;
	}

	/**
	 * @throws MalformedEventException when a reader built with {@code reader} cannot read
	 * a message of this revision
	 */
	public void requireReadableBy(SchemaRevision reader) {
		if (!this.type.equals(reader.type())) {
			throw new MalformedEventException(
					"dataschema names " + this.type + " but the message is a " + reader.type());
		}
		if (this.readableFrom > reader.revision()) {
			throw new MalformedEventException(this.type + " revision " + this.revision + " needs a reader of revision "
					+ this.readableFrom + " or later; this consumer is built with revision " + reader.revision());
		}
	}

}
