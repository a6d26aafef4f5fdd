//! Akool business codes: the `code` field of every Akool answer.
//!
//! A newtype rather than a closed enum because Akool adds codes over time: an unknown code must survive intact
//! (with the server's `msg`) instead of failing to parse. The documented ones are named constants.

use std::fmt;

/// An Akool business code. `1000` is success; every other value is a failure, even under HTTP 200.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AkoolCode(pub i64);

macro_rules! akool_codes {
    ($($(#[$doc:meta])* $name:ident = $value:literal, $meaning:literal;)*) => {
        impl AkoolCode {
            $($(#[$doc])* pub const $name: AkoolCode = AkoolCode($value);)*

            /// The vendor's description of a documented code; `None` for codes its docs do not list.
            pub fn meaning(self) -> Option<&'static str> {
                match self.0 {
                    $($value => Some($meaning),)*
                    _ => None,
                }
            }
        }
    };
}

akool_codes! {
    /// Success.
    SUCCESS = 1000, "success";
    /// A parameter is wrong.
    PARAMETER_ERROR = 1003, "parameter error";
    /// The request needs verification first.
    REQUIRES_VERIFICATION = 1004, "requires verification";
    /// Throttled: the vendor's only published rate-limit signal.
    TOO_FREQUENT = 1005, "operation too frequent";
    /// The account's quota is used up.
    INSUFFICIENT_QUOTA = 1006, "insufficient quota";
    /// Too many faces in the input.
    FACE_COUNT_EXCEEDED = 1007, "face count exceeded";
    /// The content does not exist.
    CONTENT_NOT_FOUND = 1008, "content does not exist";
    /// Permission denied for this content.
    PERMISSION_DENIED = 1009, "permission denied";
    /// The content cannot be operated on.
    CONTENT_NOT_OPERABLE = 1010, "content cannot be operated";
    /// The content was already operated on.
    ALREADY_OPERATED = 1011, "already operated";
    /// Use audio in the video.
    USE_AUDIO_IN_VIDEO = 1013, "use audio in video";
    /// The resource does not exist.
    RESOURCE_NOT_FOUND = 1014, "resource does not exist";
    /// Video processing failed.
    VIDEO_PROCESSING_ERROR = 1015, "video processing error";
    /// Face swapping failed.
    FACE_SWAP_ERROR = 1016, "face swapping error";
    /// Audio was not created.
    AUDIO_NOT_CREATED = 1017, "audio not created";
    /// The token is invalid or expired: fetch a new one.
    INVALID_TOKEN = 1101, "invalid authorization or the request token has expired";
    /// No authorization was sent.
    TOKEN_EMPTY = 1102, "authorization cannot be empty";
    /// Not paid, or payment overdue.
    PAYMENT_OVERDUE = 1103, "not paid or payment overdue";
    /// The account's credit is used up.
    INSUFFICIENT_CREDIT = 1104, "insufficient credit";
    /// Avatar processing failed.
    AVATAR_PROCESSING_ERROR = 1105, "avatar processing error";
    /// Image processing failed.
    IMAGE_PROCESSING_ERROR = 1108, "image processing error";
    /// The account does not exist.
    ACCOUNT_NOT_FOUND = 1109, "account does not exist";
    /// Audio processing failed.
    AUDIO_PROCESSING_ERROR = 1110, "audio processing error";
    /// The avatar callback failed.
    AVATAR_CALLBACK_ERROR = 1111, "avatar callback error";
    /// Voice processing failed.
    VOICE_PROCESSING_ERROR = 1112, "voice processing error";
    /// The account has been banned.
    ACCOUNT_BANNED = 1200, "the account has been banned";
    /// Creating audio failed.
    CREATE_AUDIO_ERROR = 1201, "create audio error";
    /// Lip-sync in the same language is out of range.
    LIPSYNC_LANGUAGE_OUT_OF_RANGE = 1202, "lip-sync same language out of range";
    /// Video and audio were both given.
    VIDEO_AND_AUDIO = 1203, "using video and audio";
    /// The video is too long.
    VIDEO_DURATION_EXCEEDED = 1204, "video duration exceeded";
    /// Creating the video failed.
    CREATE_VIDEO_ERROR = 1205, "create video error";
    /// Changing the background failed.
    BACKGROUND_CHANGE_ERROR = 1206, "background change error";
}

impl AkoolCode {
    /// The numeric value, as sent on the wire.
    pub fn value(self) -> i64 {
        self.0
    }

    /// `true` only for `1000`.
    pub fn is_success(self) -> bool {
        self == Self::SUCCESS
    }
}

impl fmt::Display for AkoolCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.meaning() {
            Some(meaning) => write!(f, "{} ({meaning})", self.0),
            None => write!(f, "{}", self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_codes_have_meanings_and_unknown_codes_survive() {
        assert_eq!(AkoolCode(1200), AkoolCode::ACCOUNT_BANNED);
        assert_eq!(AkoolCode::TOKEN_EMPTY.meaning(), Some("authorization cannot be empty"));
        assert_eq!(AkoolCode(1999).meaning(), None);
        assert_eq!(AkoolCode(1999).to_string(), "1999");
        assert_eq!(AkoolCode(1101).to_string(), "1101 (invalid authorization or the request token has expired)");
        assert!(AkoolCode(1000).is_success());
    }
}
