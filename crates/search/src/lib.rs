//! Name search across Simplified and Traditional Chinese, English and aliases (work in progress).
